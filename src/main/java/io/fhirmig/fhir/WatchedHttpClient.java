package io.fhirmig.fhir;

import java.io.IOException;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.protocol.HttpContext;

/**
 * The outermost layer of a connection's client: runs a hook before every request it sends, HAPI's,
 * fhirmig's own and a script's alike (see {@link FhirConnection#beforeEachRequest}).
 */
@SuppressWarnings("deprecation")
final class WatchedHttpClient extends DelegatingHttpClient {

    private volatile Runnable beforeEach;

    WatchedHttpClient(CloseableHttpClient delegate) {
        super(delegate);
    }

    void beforeEach(Runnable hook) {
        this.beforeEach = hook;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException, ClientProtocolException {
        Runnable hook = beforeEach;
        if (hook != null) {
            hook.run();
        }
        return delegate.execute(target, request, context);
    }
}
