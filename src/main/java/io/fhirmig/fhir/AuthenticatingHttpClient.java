package io.fhirmig.fhir;

import io.fhirmig.fhir.auth.AuthenticationFailedException;
import io.fhirmig.fhir.auth.Credentials;
import java.io.IOException;
import java.util.Map;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.protocol.HttpContext;

/**
 * Puts the configured headers and credentials on every request to the FHIR server. A request answered
 * 401 is sent once more with a fresh token when the credentials can get one (a token the server
 * considers expired before its time); a refusal that remains becomes an
 * {@link AuthenticationFailedException} naming the method tried, so that every caller, scripts
 * included, reports it the same way.
 *
 * <p>Sending a write again after 401 is safe: the server did not process it.
 */
@SuppressWarnings("deprecation")
final class AuthenticatingHttpClient extends DelegatingHttpClient {

    private static final String AUTHORIZATION = "Authorization";

    private final Credentials credentials;
    private final Map<String, String> headers;
    private final String displayUrl;

    AuthenticatingHttpClient(CloseableHttpClient delegate, Credentials credentials, Map<String, String> headers,
            String displayUrl) {
        super(delegate);
        this.credentials = credentials;
        this.headers = headers;
        this.displayUrl = displayUrl;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException, ClientProtocolException {
        headers.forEach(request::setHeader);
        String authorization = authorize(request);
        CloseableHttpResponse response = delegate.execute(target, request, context);
        int status = response.getStatusLine().getStatusCode();
        if (status == 401 && repeatable(request) && credentials.renew(authorization)) {
            response.close();
            authorize(request);
            response = delegate.execute(target, request, context);
            status = response.getStatusLine().getStatusCode();
        }
        if (status != 401 && status != 403) {
            return response;
        }
        String reason = response.getStatusLine().getReasonPhrase();
        response.close();
        throw new AuthenticationFailedException("authentication failed (" + credentials.method() + ") at "
                + displayUrl + ": HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason)
                + hint(status));
    }

    private String authorize(HttpRequest request) {
        String authorization = credentials.authorization();
        if (authorization != null) {
            request.setHeader(AUTHORIZATION, authorization);
        }
        return authorization;
    }

    private String hint(int status) {
        if (status == 403) {
            return "; the credentials were refused or lack the permission (scope) this request needs";
        }
        if (credentials.configured()) {
            return "; the server refused the credentials";
        }
        return "; the server asks for credentials: set FHIRMIG_TOKEN, FHIRMIG_USER and FHIRMIG_PASSWORD,"
                + " or FHIRMIG_TOKEN_URL and FHIRMIG_CLIENT_ID";
    }

    private static boolean repeatable(HttpRequest request) {
        return !(request instanceof HttpEntityEnclosingRequest enclosing)
                || enclosing.getEntity() == null || enclosing.getEntity().isRepeatable();
    }

}
