package io.fhirmig.fhir

import io.fhirmig.fhir.net.Urls
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException
import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import io.fhirmig.TestServer
import java.util.concurrent.atomic.AtomicInteger
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.CapabilityStatement
import spock.lang.AutoCleanup
import spock.lang.Specification

/**
 * Reads are retried after a busy answer (502/503/504), writes never: a gateway in front of the real
 * embedded server answers 503 to the first requests it sees, then passes requests through.
 */
class FhirConnectionSpec extends Specification {

    @AutoCleanup('stop')
    BusyGateway gateway = new BusyGateway(TestServer.baseUrl())

    def "a read answered 503 is retried and then succeeds"() {
        given:
        gateway.failNext(2)
        def connection = FhirConnection.open(ConnectionOptions.of(gateway.baseUrl()))

        when:
        def capabilities = connection.client().capabilities().ofType(CapabilityStatement).execute()

        then:
        capabilities.rest[0].mode.toCode() == 'server'
        gateway.requests('GET') == 3
    }

    def "a write answered 503 is not sent again"() {
        given:
        gateway.failNext(1)
        def connection = FhirConnection.open(ConnectionOptions.of(gateway.baseUrl()))

        when:
        connection.client().create().resource(new Basic()).execute()

        then:
        def e = thrown(BaseServerResponseException)
        e.statusCode == 503
        gateway.requests('POST') == 1
    }

    def "the URL shown never carries credentials"() {
        expect:
        Urls.withoutCredentials('https://alice:s3cret@fhir.example.org/fhir') == 'https://fhir.example.org/fhir'
        Urls.withoutCredentials('http://127.0.0.1:8080/fhir') == 'http://127.0.0.1:8080/fhir'
        FhirConnection.open(ConnectionOptions.of('http://bob:pw@127.0.0.1:1/fhir')).displayUrl() == 'http://127.0.0.1:1/fhir'
    }

    /** A real HTTP gateway on loopback that answers 503 a given number of times, then forwards. */
    static class BusyGateway {
        private final HttpServer server
        private final String target
        private final AtomicInteger failures = new AtomicInteger()
        private final Map<String, AtomicInteger> counts = [:].withDefault { new AtomicInteger() }
        /** Every request passed on: its method, its path and query, and its Cache-Control header. */
        final List<Map<String, String>> seen = Collections.synchronizedList([])

        BusyGateway(String target) {
            this.target = target
            server = HttpServer.create(new InetSocketAddress('127.0.0.1', 0), 0)
            server.createContext('/') { HttpExchange exchange -> handle(exchange) }
            server.start()
        }

        String baseUrl() { "http://127.0.0.1:${server.address.port}/fhir" }

        void failNext(int n) { failures.set(n) }

        /**
         * Makes the server's absolute links (a next page) name the gateway, as a gateway that knows its
         * public address does: fhirmig follows no link to another origin.
         */
        volatile boolean rewriteLinks

        int requests(String method) { counts[method].get() }

        void stop() { server.stop(0) }

        private synchronized void handle(HttpExchange exchange) {
            counts[exchange.requestMethod].incrementAndGet()
            seen << [method: exchange.requestMethod, path: URLDecoder.decode(exchange.requestURI.rawPath + '?'
                    + (exchange.requestURI.rawQuery ?: ''), 'UTF-8'), cacheControl: exchange.requestHeaders.getFirst('Cache-Control')]
            byte[] body = exchange.requestBody.bytes
            if (failures.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1)
                exchange.close()
                return
            }
            def path = exchange.requestURI.toString().replaceFirst('^/fhir', '')
            def connection = new URL(target + path).openConnection() as HttpURLConnection
            connection.requestMethod = exchange.requestMethod
            exchange.requestHeaders.each { name, values ->
                if (!(name.toLowerCase() in ['host', 'content-length', 'connection'])
                        && !(rewriteLinks && name.equalsIgnoreCase('accept-encoding'))) {
                    connection.setRequestProperty(name, values.join(','))
                }
            }
            if (body.length > 0) {
                connection.doOutput = true
                connection.outputStream.withCloseable { it.write(body) }
            }
            int status = connection.responseCode
            byte[] answer = (status < 400 ? connection.inputStream : connection.errorStream)?.bytes ?: new byte[0]
            if (rewriteLinks) {
                answer = new String(answer, 'UTF-8').replace(target, baseUrl()).getBytes('UTF-8')
            }
            connection.headerFields.each { name, values ->
                if (name != null && !(name.toLowerCase() in ['transfer-encoding', 'content-length', 'connection'])) {
                    exchange.responseHeaders.put(name, values)
                }
            }
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length)
            if (answer.length > 0) {
                exchange.responseBody.withCloseable { it.write(answer) }
            }
            exchange.close()
        }
    }
}
