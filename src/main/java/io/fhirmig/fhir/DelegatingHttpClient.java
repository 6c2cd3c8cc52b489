package io.fhirmig.fhir;

import java.io.IOException;
import org.apache.http.conn.ClientConnectionManager;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.params.HttpParams;

/**
 * An HTTP client that adds one behaviour to another and hands it everything else: what the layers
 * of fhirmig's client (credentials, retries) have in common.
 */
@SuppressWarnings("deprecation")
abstract class DelegatingHttpClient extends CloseableHttpClient {

    protected final CloseableHttpClient delegate;

    protected DelegatingHttpClient(CloseableHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public HttpParams getParams() {
        return delegate.getParams();
    }

    @Override
    public ClientConnectionManager getConnectionManager() {
        return delegate.getConnectionManager();
    }
}
