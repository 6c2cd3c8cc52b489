package io.fhirmig.fhir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpVersion;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.EnglishReasonPhraseCatalog;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.message.BasicHttpResponse;
import org.apache.http.protocol.HttpContext;
import org.apache.http.util.EntityUtils;

/**
 * The outermost layer of a connection's client: while a {@link WriteCapture} is set, every request
 * that may change data goes to it instead of the server, from HAPI's client (a script's {@code fhir}),
 * fhirmig's own requests and bulk writers alike. Reads go through.
 */
@SuppressWarnings("deprecation")
final class CapturingHttpClient extends DelegatingHttpClient {

    private static final ContentType FHIR_JSON = ContentType.create("application/fhir+json", StandardCharsets.UTF_8);

    private final String base;
    private volatile WriteCapture capture;

    CapturingHttpClient(CloseableHttpClient delegate, String baseUrl) {
        super(delegate);
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/").getRawPath();
    }

    void capture(WriteCapture capture) {
        this.capture = capture;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException, ClientProtocolException {
        WriteCapture writes = capture;
        String method = request.getRequestLine().getMethod().toUpperCase(java.util.Locale.ROOT);
        String url = relative(request.getRequestLine().getUri());
        if (writes != null && method.equals("GET") && isResource(url)) {
            WriteCapture.Answer answer = writes.read(url);
            return answer == null ? delegate.execute(target, request, context) : response(answer);
        }
        if (writes == null || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                || isSearch(method, url)) {
            return delegate.execute(target, request, context);
        }
        String body = null;
        String contentType = null;
        if (request instanceof HttpEntityEnclosingRequest enclosing && enclosing.getEntity() != null) {
            HttpEntity entity = enclosing.getEntity();
            byte[] bytes = EntityUtils.toByteArray(entity);
            contentType = entity.getContentType() == null ? null : entity.getContentType().getValue();
            body = new String(bytes, StandardCharsets.UTF_8);
            // The entity may be read once only: a write the capture lets through is sent with a copy.
            enclosing.setEntity(new ByteArrayEntity(bytes, entity.getContentType() == null ? null
                    : ContentType.parse(entity.getContentType().getValue())));
        }
        WriteCapture.Answer answer = writes.answer(new WriteCapture.Request(method, url, contentType, body,
                header(request, "If-Match"), header(request, "If-None-Exist")));
        return answer == null ? delegate.execute(target, request, context) : response(answer);
    }

    /** Whether the URL names one resource ({@code Patient/1}), not a search, a version or an operation. */
    private static boolean isResource(String url) {
        String[] segments = url.split("/", -1);
        return segments.length == 2 && !url.contains("?") && !url.contains("$") && !segments[0].startsWith("_")
                && !segments[1].startsWith("_") && !segments[0].isEmpty() && !segments[1].isEmpty();
    }

    private static boolean isSearch(String method, String url) {
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return method.equals("POST") && (path.endsWith("/_search") || path.equals("_search"));
    }

    /** The request's URI relative to the server's base ({@code Patient/1?x=y}). */
    private String relative(String uri) {
        String path = uri;
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            URI parsed = URI.create(uri);
            path = parsed.getRawPath() + (parsed.getRawQuery() == null ? "" : "?" + parsed.getRawQuery());
        }
        if (path.startsWith(base)) {
            return path.substring(base.length());
        }
        String baseWithoutSlash = base.substring(0, base.length() - 1);
        if (path.equals(baseWithoutSlash) || path.startsWith(baseWithoutSlash + "?")) {
            return path.substring(baseWithoutSlash.length());
        }
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static String header(HttpRequest request, String name) {
        Header header = request.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static CloseableHttpResponse response(WriteCapture.Answer answer) {
        Answered response = new Answered(answer.status());
        if (answer.body() != null) {
            response.setEntity(new StringEntity(answer.body(), FHIR_JSON));
            response.setHeader("Content-Type", FHIR_JSON.toString());
        }
        if (answer.location() != null) {
            response.setHeader("Location", answer.location());
            response.setHeader("Content-Location", answer.location());
        }
        return response;
    }

    /** A response made here rather than read from a connection: nothing to release. */
    private static final class Answered extends BasicHttpResponse implements CloseableHttpResponse {

        Answered(int status) {
            super(HttpVersion.HTTP_1_1, status, EnglishReasonPhraseCatalog.INSTANCE.getReason(status, null));
        }

        @Override
        public void close() {
            // No connection to give back.
        }
    }
}
