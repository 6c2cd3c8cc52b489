package io.fhirmig.fhir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.apache.http.HttpHost;
import org.apache.http.conn.socket.LayeredConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;

/**
 * TLS with the system's trust store, set up on the first https connection: loading the trust
 * store and the TLS provider costs a twentieth of a second that a run against an http server
 * (the embedded one, a server on localhost) need never pay.
 */
final class LazyTlsSocketFactory implements LayeredConnectionSocketFactory {

    private volatile SSLConnectionSocketFactory delegate;

    private SSLConnectionSocketFactory delegate() {
        SSLConnectionSocketFactory factory = delegate;
        if (factory == null) {
            synchronized (this) {
                factory = delegate;
                if (factory == null) {
                    factory = SSLConnectionSocketFactory.getSocketFactory();
                    delegate = factory;
                }
            }
        }
        return factory;
    }

    @Override
    public Socket createSocket(HttpContext context) throws IOException {
        return delegate().createSocket(context);
    }

    @Override
    public Socket connectSocket(int connectTimeout, Socket socket, HttpHost host, InetSocketAddress remoteAddress,
            InetSocketAddress localAddress, HttpContext context) throws IOException {
        return delegate().connectSocket(connectTimeout, socket, host, remoteAddress, localAddress, context);
    }

    @Override
    public Socket createLayeredSocket(Socket socket, String target, int port, HttpContext context) throws IOException {
        return delegate().createLayeredSocket(socket, target, port, context);
    }
}
