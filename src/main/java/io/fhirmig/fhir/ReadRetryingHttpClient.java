package io.fhirmig.fhir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.protocol.HttpContext;

/**
 * Retries a GET or HEAD after a connection error or a 502/503/504 answer (a gateway or a busy
 * server), with back-off. Never a write: a write whose answer was lost may have been applied, and
 * sending it again blindly could apply it twice.
 *
 * <p>A wrapper rather than HttpClient's own retry strategies, because HAPI's requests bypass the
 * service-unavailable strategy of the client it is given.
 */
@SuppressWarnings("deprecation")
final class ReadRetryingHttpClient extends DelegatingHttpClient {

    private final int retries;

    ReadRetryingHttpClient(CloseableHttpClient delegate, int retries) {
        super(delegate);
        this.retries = retries;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException, ClientProtocolException {
        boolean read = isRead(request.getRequestLine().getMethod());
        for (int attempt = 1; ; attempt++) {
            boolean mayRetry = read && attempt <= retries;
            CloseableHttpResponse response;
            try {
                response = delegate.execute(target, request, context);
            } catch (IOException e) {
                if (!mayRetry || !retryable(e)) {
                    throw e;
                }
                Backoff.sleep(attempt);
                continue;
            }
            int status = response.getStatusLine().getStatusCode();
            if (!mayRetry || status < 502 || status > 504) {
                return response;
            }
            response.close();
            Backoff.sleep(attempt);
        }
    }

    private static boolean retryable(IOException e) {
        return !(e instanceof InterruptedIOException) && !(e instanceof UnknownHostException)
                && !(e instanceof SSLException);
    }

    static boolean isRead(String method) {
        return "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
    }

}
