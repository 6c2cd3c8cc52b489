package io.fhirmig.secure

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import com.sun.net.httpserver.HttpsConfigurator
import com.sun.net.httpserver.HttpsServer
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.security.KeyStore
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext

/**
 * A small HTTP(S) server on loopback that misbehaves on purpose: each request is answered by a closure
 * (a redirect, a Bundle with a next link elsewhere, a reason phrase with escape sequences...), or
 * passed on to a real FHIR server. It records every request with its headers, so that a specification
 * can show what another origin received.
 */
final class OriginServer implements AutoCloseable {

    /** A request as it arrived. */
    static final class Seen {
        final String method
        final String target
        final Map<String, List<String>> headers

        Seen(String method, String target, Map<String, List<String>> headers) {
            this.method = method
            this.target = target
            this.headers = headers
        }

        String header(String name) {
            headers.find { it.key.equalsIgnoreCase(name) }?.value?.first()
        }

        @Override
        String toString() { "$method $target $headers" }
    }

    /** What a handler answers: a status, headers and a body. */
    static final class Answer {
        int status = 200
        Map<String, String> headers = [:]
        String body = ''
    }

    final List<Seen> requests = new CopyOnWriteArrayList<>()
    private final HttpServer server
    private final String scheme
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    /** Answers a request; returns null to pass it on to {@link #forwardTo}. */
    volatile Closure<Answer> handler = { Seen r -> null }
    volatile String forwardTo

    /** A plain HTTP server on 127.0.0.1. */
    OriginServer() {
        this(null, null)
    }

    /** An HTTPS server on 127.0.0.1 with the key store's certificate (e.g. {@link TestCertificates}). */
    OriginServer(Path keyStore, String password) {
        if (keyStore == null) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
            scheme = 'http'
        } else {
            def store = KeyStore.getInstance('PKCS12')
            java.nio.file.Files.newInputStream(keyStore).withCloseable { store.load(it, password.toCharArray()) }
            def keys = KeyManagerFactory.getInstance(KeyManagerFactory.defaultAlgorithm)
            keys.init(store, password.toCharArray())
            def tls = SSLContext.getInstance('TLS')
            tls.init(keys.keyManagers, null, null)
            def https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
            https.httpsConfigurator = new HttpsConfigurator(tls)
            server = https
            scheme = 'https'
        }
        server.executor = Executors.newCachedThreadPool { Runnable r -> Thread t = new Thread(r, 'origin-server'); t.daemon = true; t }
        server.createContext('/') { HttpExchange exchange -> serve(exchange) }
        server.start()
    }

    /** The origin, e.g. {@code http://127.0.0.1:41234}. */
    String origin() {
        "${scheme}://127.0.0.1:${server.address.port}"
    }

    /** A FHIR-like base URL on this server. */
    String baseUrl() {
        origin() + '/fhir'
    }

    /** Whether any request that arrived carried a credential or one of the given headers. */
    boolean receivedAnyOf(List<String> headerNames) {
        requests.any { r -> headerNames.any { r.header(it) != null } }
    }

    static Answer answer(int status, Map<String, String> headers = [:], String body = '') {
        new Answer(status: status, headers: headers, body: body)
    }

    private void serve(HttpExchange exchange) {
        try {
            def seen = new Seen(exchange.requestMethod, exchange.requestURI.toString(),
                    new LinkedHashMap<>(exchange.requestHeaders))
            byte[] requestBody = exchange.requestBody.readAllBytes()
            requests << seen
            Answer answer = handler.call(seen)
            if (answer == null && forwardTo != null) {
                answer = forward(seen, requestBody)
            }
            if (answer == null) {
                answer = answer(404, ['Content-Type': 'application/fhir+json'],
                        '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}')
            }
            answer.headers.each { k, v -> exchange.responseHeaders.add(k, v) }
            byte[] body = answer.body.getBytes(StandardCharsets.UTF_8)
            exchange.sendResponseHeaders(answer.status, body.length == 0 ? -1 : body.length)
            if (body.length > 0) {
                exchange.responseBody.write(body)
            }
        } catch (Throwable e) {
            e.printStackTrace()
        } finally {
            exchange.close()
        }
    }

    private Answer forward(Seen seen, byte[] body) {
        URI base = URI.create(forwardTo)
        URI uri = URI.create("${base.scheme}://${base.rawAuthority}${seen.target}")
        def builder = HttpRequest.newBuilder(uri).method(seen.method,
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        seen.headers.each { name, values ->
            if (!(name.toLowerCase() in ['connection', 'content-length', 'host', 'transfer-encoding', 'expect', 'upgrade', 'accept-encoding'])) {
                values.each {
                    try {
                        builder.header(name, it)
                    } catch (IllegalArgumentException restricted) {
                    }
                }
            }
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString())
        def headers = [:]
        response.headers().firstValue('Content-Type').ifPresent { headers['Content-Type'] = it }
        response.headers().firstValue('ETag').ifPresent { headers['ETag'] = it }
        response.headers().firstValue('Location').ifPresent { headers['Location'] = it }
        response.headers().firstValue('Content-Location').ifPresent { headers['Content-Location'] = it }
        answer(response.statusCode(), headers, response.body())
    }

    @Override
    void close() {
        server.stop(0)
        (server.executor as java.util.concurrent.ExecutorService).shutdownNow()
    }
}
