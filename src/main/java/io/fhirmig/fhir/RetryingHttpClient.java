package io.fhirmig.fhir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.protocol.HttpContext;
import org.apache.http.util.EntityUtils;
import org.apache.logging.log4j.LogManager;

/**
 * Sends a request again after a transient failure, when sending it twice cannot apply anything twice:
 * a read, a search by POST, a conditional create ({@code If-None-Exist}), a versioned write
 * ({@code If-Match}), a conditional update ({@code PUT Type?search}), a delete. A plain POST (a create,
 * a transaction Bundle) is never sent again: its answer may have been lost after the server applied it.
 *
 * <p>Transient: 429, 502, 503 and 504 (and 500 for a read, which cannot have changed anything), a
 * connection refused or reset, a read timeout, and an answer cut off before its end. To see the last
 * one here, the answer's body is read in full inside the loop; HAPI and {@link FhirHttp} read the
 * whole body anyway. The wait doubles each time, or is what the server asked for in
 * {@code Retry-After}.
 *
 * <p>A wrapper rather than HttpClient's own retry strategies, because HAPI's requests bypass the
 * service-unavailable strategy of the client it is given, and HttpClient's never see a body cut off.
 */
@SuppressWarnings("deprecation")
final class RetryingHttpClient extends DelegatingHttpClient {

    private final int retries;

    RetryingHttpClient(CloseableHttpClient delegate, int retries) {
        super(delegate);
        this.retries = retries;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException, ClientProtocolException {
        if (!safeToRepeat(request)) {
            return delegate.execute(target, request, context);
        }
        boolean read = isRead(request.getRequestLine().getMethod());
        for (int attempt = 1; ; attempt++) {
            boolean mayRetry = attempt <= retries;
            CloseableHttpResponse response;
            try {
                response = delegate.execute(target, request, context);
            } catch (IOException e) {
                if (!mayRetry || !isTransient(e)) {
                    throw e;
                }
                pause(request, attempt, -1, e.toString());
                continue;
            }
            int status = response.getStatusLine().getStatusCode();
            if (mayRetry && transientStatus(status, read)) {
                Header retryAfter = response.getFirstHeader("Retry-After");
                response.close();
                pause(request, attempt, Backoff.retryAfterMillis(retryAfter == null ? null : retryAfter.getValue(),
                        Instant.now()), "HTTP " + status);
                continue;
            }
            try {
                readFully(response);
            } catch (IOException e) {
                response.close();
                if (!mayRetry || !isTransient(e)) {
                    throw e;
                }
                pause(request, attempt, -1, e.toString());
                continue;
            }
            return response;
        }
    }

    /** Replaces the answer's streamed body with its bytes, so that an answer cut off fails here. */
    private static void readFully(CloseableHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return;
        }
        ByteArrayEntity copy = new ByteArrayEntity(EntityUtils.toByteArray(entity));
        copy.setContentType(entity.getContentType());
        copy.setContentEncoding(entity.getContentEncoding());
        response.setEntity(copy);
    }

    private static void pause(HttpRequest request, int attempt, long askedMillis, String why)
            throws InterruptedIOException {
        long millis = askedMillis >= 0 ? askedMillis : Backoff.millis(attempt);
        // Looked up only when a retry happens: most commands never pay for the logger.
        LogManager.getLogger(RetryingHttpClient.class).debug("{} {}: {}; retry {} in {} ms",
                request.getRequestLine().getMethod(), request.getRequestLine().getUri(), why, attempt, millis);
        if (!Backoff.sleep(millis)) {
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    private static boolean transientStatus(int status, boolean read) {
        return status == 429 || status == 502 || status == 503 || status == 504 || read && status == 500;
    }

    /**
     * Whether a failure may pass: not an unknown host or a TLS problem (those stay), not an interrupt
     * of the thread, not a protocol error (the same request would meet it again).
     */
    static boolean isTransient(IOException e) {
        if (e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException) {
            return true;
        }
        return !(e instanceof InterruptedIOException) && !(e instanceof UnknownHostException)
                && !(e instanceof SSLException) && !(e instanceof ClientProtocolException);
    }

    static boolean isRead(String method) {
        return "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
    }

    /** Whether sending the request a second time, after the first may have landed, changes nothing more. */
    static boolean safeToRepeat(HttpRequest request) {
        if (request instanceof HttpEntityEnclosingRequest enclosing && enclosing.getEntity() != null
                && !enclosing.getEntity().isRepeatable()) {
            return false;
        }
        String method = request.getRequestLine().getMethod().toUpperCase(Locale.ROOT);
        boolean versioned = request.containsHeader("If-Match");
        URI uri = request instanceof HttpUriRequest uriRequest ? uriRequest.getURI()
                : URI.create(request.getRequestLine().getUri());
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> true;
            // Deleting what is deleted already changes nothing (FHIR: "has no effect").
            case "DELETE" -> true;
            case "POST" -> versioned || request.containsHeader("If-None-Exist") || isSearch(uri);
            // A repeated conditional update finds what the first made and writes the same content.
            case "PUT" -> versioned || isConditional(uri);
            // A patch applied twice may add twice: only a versioned one fails the second time instead.
            default -> versioned;
        };
    }

    private static boolean isSearch(URI uri) {
        String path = uri.getRawPath();
        return path != null && path.endsWith("/_search");
    }

    /** {@code Type?search}: a resource type (capitalised) with a query, no id. */
    private static boolean isConditional(URI uri) {
        String path = uri.getRawPath();
        if (path == null || uri.getRawQuery() == null || uri.getRawQuery().isEmpty()) {
            return false;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return !last.isEmpty() && Character.isUpperCase(last.charAt(0));
    }
}
