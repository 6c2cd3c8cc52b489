package io.fhirmig.fhir;

import java.io.IOException;
import java.io.InterruptedIOException;
import javax.net.ssl.SSLException;
import org.apache.http.HttpRequest;
import org.apache.http.client.HttpRequestRetryHandler;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.protocol.HttpContext;

/**
 * Retries a GET or HEAD after a connection error, with back-off. Never a write: a write whose answer
 * was lost may have been applied, and sending it again blindly could apply it twice.
 */
final class ReadRetryHandler implements HttpRequestRetryHandler {

    private final int retries;

    ReadRetryHandler(int retries) {
        this.retries = retries;
    }

    @Override
    public boolean retryRequest(IOException exception, int executionCount, HttpContext context) {
        if (executionCount > retries || exception instanceof InterruptedIOException
                || exception instanceof SSLException || exception instanceof java.net.UnknownHostException) {
            return false;
        }
        HttpRequest request = HttpClientContext.adapt(context).getRequest();
        if (request == null || !isRead(request.getRequestLine().getMethod())) {
            return false;
        }
        Backoff.sleep(executionCount);
        return true;
    }

    static boolean isRead(String method) {
        return "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
    }
}
