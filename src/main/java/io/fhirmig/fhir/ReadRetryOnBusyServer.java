package io.fhirmig.fhir;

import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.ServiceUnavailableRetryStrategy;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.protocol.HttpContext;

/** Retries a GET or HEAD answered 502, 503 or 504 (a gateway or a busy server), with back-off. */
final class ReadRetryOnBusyServer implements ServiceUnavailableRetryStrategy {

    private final int retries;

    ReadRetryOnBusyServer(int retries) {
        this.retries = retries;
    }

    @Override
    public boolean retryRequest(HttpResponse response, int executionCount, HttpContext context) {
        int status = response.getStatusLine().getStatusCode();
        if (executionCount > retries || status < 502 || status > 504) {
            return false;
        }
        HttpRequest request = HttpClientContext.adapt(context).getRequest();
        return request != null && ReadRetryHandler.isRead(request.getRequestLine().getMethod());
    }

    @Override
    public long getRetryInterval() {
        return Backoff.BASE_MILLIS;
    }
}
