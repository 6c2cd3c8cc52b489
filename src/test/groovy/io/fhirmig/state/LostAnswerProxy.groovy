package io.fhirmig.state

import io.fhirmig.TestServer
import java.nio.charset.StandardCharsets
import java.util.concurrent.CopyOnWriteArrayList
import java.util.function.Predicate

/**
 * A plain HTTP forwarder on 127.0.0.1 in front of the test server that can lose an answer: the
 * request reaches the server and is applied, and the client's connection is then closed without a
 * reply, as a proxy, a reset or a timeout would leave it. One request per connection (each is sent
 * upstream with {@code Connection: close}), which HTTP clients handle by opening the next one.
 */
final class LostAnswerProxy implements Closeable {

    /** One request as the client sent it. */
    static final class Request {
        final String method
        final String path
        final String body

        Request(String method, String path, String body) {
            this.method = method
            this.path = path
            this.body = body
        }

        /** A transaction Bundle: a POST to the base. */
        boolean isTransaction() {
            method == 'POST' && (path.endsWith('/fhir') || path.endsWith('/fhir/'))
        }

        @Override
        String toString() {
            "${method} ${path}"
        }
    }

    private final ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private final URI upstream = URI.create(TestServer.baseUrl())
    private final List<Predicate<Request>> dropNext = new CopyOnWriteArrayList<>()
    private final List<Predicate<Request>> refuseNext = new CopyOnWriteArrayList<>()
    private volatile Predicate<Request> refuseAll
    /** Every request forwarded, in order; those whose answer was dropped; those never forwarded. */
    final List<Request> forwarded = new CopyOnWriteArrayList<>()
    final List<Request> dropped = new CopyOnWriteArrayList<>()
    final List<Request> refused = new CopyOnWriteArrayList<>()
    private final Thread acceptor

    LostAnswerProxy() {
        acceptor = Thread.start('lost-answer-proxy') {
            while (!listening.closed) {
                Socket client
                try {
                    client = listening.accept()
                } catch (IOException ignored) {
                    return
                }
                Thread.start('lost-answer-proxy-connection') { serve(client) }
            }
        }
    }

    /** The proxy's FHIR base URL: the test server's, through the proxy. */
    String baseUrl() {
        "http://127.0.0.1:${listening.localPort}${upstream.path}"
    }

    /** The next request that matches is applied by the server, and its answer is lost. */
    LostAnswerProxy dropAnswerToNext(Predicate<Request> which) {
        dropNext.add(which)
        this
    }

    /** The next request that matches never reaches the server: its connection is closed unanswered. */
    LostAnswerProxy refuseNext(Predicate<Request> which) {
        refuseNext.add(which)
        this
    }

    /** From now on, requests that match never reach the server: their connection is closed unanswered. */
    LostAnswerProxy refuseFromNowOn(Predicate<Request> which) {
        refuseAll = which
        this
    }

    private void serve(Socket client) {
        client.withCloseable {
            InputStream input = new BufferedInputStream(client.inputStream)
            String head = readHead(input)
            if (head == null) {
                return
            }
            List<String> lines = head.split('\r\n') as List<String>
            String[] requestLine = lines[0].split(' ')
            int length = lines.drop(1).findResult { String line ->
                line.toLowerCase().startsWith('content-length:') ? line.substring(15).trim() as int : null
            } ?: 0
            byte[] body = input.readNBytes(length)
            Request request = new Request(requestLine[0], requestLine[1], new String(body, StandardCharsets.UTF_8))
            Predicate<Request> refuse = refuseNext.find { it.test(request) }
            if (refuseAll != null && refuseAll.test(request) || refuse != null && refuseNext.remove(refuse)) {
                refused.add(request)
                return
            }
            byte[] answer = forward(lines, body)
            forwarded.add(request)
            Predicate<Request> drop = dropNext.find { it.test(request) }
            if (drop != null && dropNext.remove(drop)) {
                dropped.add(request)
                return
            }
            client.outputStream.write(answer)
            client.outputStream.flush()
        }
    }

    private byte[] forward(List<String> lines, byte[] body) {
        new Socket(upstream.host, upstream.port).withCloseable { Socket server ->
            StringBuilder head = new StringBuilder(lines[0]).append('\r\n')
            lines.drop(1).findAll { !it.toLowerCase().startsWith('connection:') }.each { head.append(it).append('\r\n') }
            head.append('Connection: close\r\n\r\n')
            server.outputStream.write(head.toString().getBytes(StandardCharsets.ISO_8859_1))
            server.outputStream.write(body)
            server.outputStream.flush()
            server.inputStream.readAllBytes()
        }
    }

    /** The request line and headers, up to the blank line; null when the client closed first. */
    private static String readHead(InputStream input) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream()
        int matched = 0
        byte[] end = '\r\n\r\n'.bytes
        while (matched < 4) {
            int b = input.read()
            if (b < 0) {
                return null
            }
            bytes.write(b)
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0)
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1)
        text.substring(0, text.length() - 4)
    }

    @Override
    void close() {
        listening.close()
        acceptor.join(1000)
    }
}
