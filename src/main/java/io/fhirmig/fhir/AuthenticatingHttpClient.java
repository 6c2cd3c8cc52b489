package io.fhirmig.fhir;

import io.fhirmig.api.ServerText;
import io.fhirmig.fhir.net.Urls;
import io.fhirmig.fhir.auth.AuthenticationFailedException;
import io.fhirmig.fhir.auth.Credentials;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpHead;
import org.apache.http.client.methods.HttpUriRequest;
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
 *
 * <p>Credentials and extra headers go only to the configured server's origin (scheme, host, port): a
 * request to any other origin is sent without them. Redirects are not followed by the HTTP client
 * underneath (it would copy the Authorization header to wherever the server points); here a redirect
 * of a read to the server's own origin is followed, and one to another origin (https to http
 * included) is refused with a {@link CrossOriginException} naming both URLs.
 */
@SuppressWarnings("deprecation")
final class AuthenticatingHttpClient extends DelegatingHttpClient {

    private static final String AUTHORIZATION = "Authorization";
    private static final int MAX_REDIRECTS = 5;

    private final Credentials credentials;
    private final Map<String, String> headers;
    private final String displayUrl;
    private final String serverOrigin;

    AuthenticatingHttpClient(CloseableHttpClient delegate, Credentials credentials, Map<String, String> headers,
            String serverUrl) {
        super(delegate);
        this.credentials = credentials;
        this.headers = headers;
        this.displayUrl = Urls.withoutCredentials(serverUrl);
        this.serverOrigin = Origins.of(serverUrl);
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException, ClientProtocolException {
        if (!serverOrigin.equals(origin(target, request))) {
            // Not the configured server (a script's absolute URL elsewhere): no credentials, no headers.
            return delegate.execute(target, request, context);
        }
        headers.forEach(request::setHeader);
        String authorization = authorize(request);
        CloseableHttpResponse response = followRedirects(target, request, context,
                delegate.execute(target, request, context));
        int status = response.getStatusLine().getStatusCode();
        if (status == 401 && repeatable(request) && credentials.renew(authorization)) {
            response.close();
            authorize(request);
            response = followRedirects(target, request, context, delegate.execute(target, request, context));
            status = response.getStatusLine().getStatusCode();
        }
        if (status != 401 && status != 403) {
            return response;
        }
        String reason = response.getStatusLine().getReasonPhrase();
        response.close();
        throw new AuthenticationFailedException("authentication failed (" + credentials.method() + ") at "
                + displayUrl + ": HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + ServerText.clean(reason))
                + hint(status));
    }

    /**
     * Follows a redirect of a read (GET, HEAD) to the server's own origin, with the request's headers;
     * refuses one to another origin, whatever the method; answers any other redirect as it came.
     */
    private CloseableHttpResponse followRedirects(HttpHost target, HttpRequest request, HttpContext context,
            CloseableHttpResponse first) throws IOException {
        CloseableHttpResponse response = first;
        URI from = requestUri(target, request);
        String method = request.getRequestLine().getMethod();
        for (int redirects = 0; ; redirects++) {
            int status = response.getStatusLine().getStatusCode();
            Header location = response.getFirstHeader("Location");
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308 || location == null) {
                return response;
            }
            URI to;
            try {
                to = from.resolve(new URI(location.getValue().trim()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                response.close();
                throw new CrossOriginException("the FHIR server at " + displayUrl + " redirected "
                        + Urls.withoutCredentials(from.toString()) + " to '"
                        + ServerText.clean(Urls.withoutCredentials(location.getValue())) + "', which is not a URL; not followed");
            }
            if (!serverOrigin.equals(Origins.of(to))) {
                response.close();
                boolean downgrade = "https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(to.getScheme());
                throw new CrossOriginException("the FHIR server at " + displayUrl + " redirected (HTTP " + status
                        + ") " + Urls.withoutCredentials(from.toString()) + " to "
                        + ServerText.clean(Urls.withoutCredentials(to.toString())) + ", another origin"
                        + (downgrade ? " (https to http, which is never followed)" : "")
                        + "; fhirmig sends its credentials only to " + serverOrigin
                        + ", so it did not follow. If the server moved, set --url / FHIRMIG_URL to its new address");
            }
            boolean read = "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
            if (!read || redirects >= MAX_REDIRECTS) {
                return response;
            }
            response.close();
            HttpUriRequest next = "HEAD".equalsIgnoreCase(method) ? new HttpHead(to) : new HttpGet(to);
            for (Header header : request.getAllHeaders()) {
                next.addHeader(header);
            }
            from = to;
            response = delegate.execute(next);
        }
    }

    /** The origin a request goes to. */
    private static String origin(HttpHost target, HttpRequest request) {
        if (target != null) {
            return Origins.of(target.getSchemeName(), target.getHostName(), target.getPort());
        }
        return request instanceof HttpUriRequest uri ? Origins.of(uri.getURI()) : null;
    }

    private static URI requestUri(HttpHost target, HttpRequest request) {
        URI uri = request instanceof HttpUriRequest u ? u.getURI() : URI.create(request.getRequestLine().getUri());
        if (uri.isAbsolute() || target == null) {
            return uri;
        }
        return URI.create(target.toURI()).resolve(uri);
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
