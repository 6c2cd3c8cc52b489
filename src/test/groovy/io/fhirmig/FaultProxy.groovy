package io.fhirmig

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

/**
 * A real HTTP/1.1 proxy on loopback in front of a FHIR server (the test server), which can be told to
 * break the exchanges that match a rule: answer a status of its own (429 with Retry-After, 503...),
 * reset or drop the connection before or after forwarding the request, cut the answer short, or wait
 * before forwarding. Requests that no rule breaks are passed through unchanged; every exchange uses a
 * connection of its own (the proxy answers {@code Connection: close}).
 *
 * <p>Rules are tried in the order they were added; the first that matches and has breaks left
 * applies. Counters tell how many requests of each method arrived and how many reached the server.
 *
 * <pre>
 * def proxy = new FaultProxy(TestServer.baseUrl())
 * proxy.rule(method: 'GET', times: 1, fault: FaultProxy.status(429, ['Retry-After': '1']))
 * proxy.rule(method: 'POST', match: { it.header('If-None-Exist') != null }, fault: FaultProxy.truncate())
 * ... FhirConnection.open(ConnectionOptions.of(proxy.baseUrl())) ...
 * proxy.forwarded('POST') == 1
 * </pre>
 *
 * Absolute links in the server's answers (a next page) point at the server itself, not the proxy.
 */
final class FaultProxy implements AutoCloseable {

    /** A request as it arrived: its method, its target (path and raw query), its headers and body. */
    static final class Request {
        final String method
        final String target
        final Map<String, List<String>> headers
        final byte[] body

        Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
            this.method = method
            this.target = target
            this.headers = headers
            this.body = body
        }

        /** The first value of a header, by name in any case; null when absent. */
        String header(String name) {
            headers.find { it.key.equalsIgnoreCase(name) }?.value?.first()
        }

        /** The target's path without the query, URL-decoded. */
        String path() {
            URLDecoder.decode(target.contains('?') ? target.substring(0, target.indexOf('?')) : target, 'UTF-8')
        }

        String bodyText() {
            new String(body, StandardCharsets.UTF_8)
        }

        @Override
        String toString() { "$method $target" }
    }

    /** What to do to an exchange. */
    static final class Fault {
        enum Kind { STATUS, RESET, DROP, RESET_AFTER_FORWARDING, TRUNCATE, DELAY }

        final Kind kind
        final int status
        final Map<String, String> headers
        final String body
        final long millis

        private Fault(Kind kind, int status = 0, Map<String, String> headers = [:], String body = null, long millis = 0) {
            this.kind = kind
            this.status = status
            this.headers = headers
            this.body = body
            this.millis = millis
        }

        /** Whether the request reaches the server before the exchange breaks. */
        boolean forwards() {
            kind in [Kind.RESET_AFTER_FORWARDING, Kind.TRUNCATE, Kind.DELAY]
        }

        @Override
        String toString() { kind == Kind.STATUS ? "status $status" : kind == Kind.DELAY ? "delay $millis ms" : kind.name() }
    }

    /** Answers with this status (and headers, and an OperationOutcome) without forwarding. */
    static Fault status(int status, Map<String, String> headers = [:]) {
        new Fault(Fault.Kind.STATUS, status, headers,
                '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient","diagnostics":"fault proxy: ' + status + '"}]}')
    }

    /** Resets the connection (TCP RST) without forwarding: the server never sees the request. */
    static Fault reset() { new Fault(Fault.Kind.RESET) }

    /** Closes the connection without an answer and without forwarding. */
    static Fault drop() { new Fault(Fault.Kind.DROP) }

    /** Forwards the request, so the server applies it, then resets the connection: the answer is lost. */
    static Fault resetAfterForwarding() { new Fault(Fault.Kind.RESET_AFTER_FORWARDING) }

    /**
     * Forwards the request, then sends the answer's headers (with its full Content-Length) and only
     * half of its body, and closes the connection.
     */
    static Fault truncate() { new Fault(Fault.Kind.TRUNCATE) }

    /** Waits, then forwards: longer than the client's read timeout, the client gives up first. */
    static Fault delay(long millis) { new Fault(Fault.Kind.DELAY, 0, [:], null, millis) }

    /** A rule: which requests it breaks (method and predicate), how many more times, and how. */
    static final class Rule {
        final String method
        final Closure<Boolean> match
        final AtomicInteger remaining
        final Fault fault
        final AtomicInteger applied = new AtomicInteger()

        Rule(String method, Closure<Boolean> match, int times, Fault fault) {
            this.method = method
            this.match = match
            this.remaining = new AtomicInteger(times)
            this.fault = fault
        }

        boolean take(Request request) {
            if (method != null && !method.equalsIgnoreCase(request.method)) {
                return false
            }
            if (match != null && !match.call(request)) {
                return false
            }
            while (true) {
                int left = remaining.get()
                if (left == 0) {
                    return false
                }
                // Negative: for ever.
                if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                    applied.incrementAndGet()
                    return true
                }
            }
        }
    }

    private static final Set<String> HOP_BY_HOP = ['connection', 'content-length', 'transfer-encoding', 'host',
                                                   'keep-alive', 'expect', 'upgrade', 'proxy-connection'] as Set

    private final URI target
    private final ServerSocket socket
    private final ExecutorService threads = Executors.newCachedThreadPool { Runnable r ->
        Thread t = new Thread(r, 'fault-proxy')
        t.daemon = true
        t
    }
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    private final List<Rule> rules = new CopyOnWriteArrayList<>()
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>()
    private final Map<String, AtomicInteger> forwarded = new ConcurrentHashMap<>()
    /** Every request that arrived, in order, with the fault applied to it (or null). */
    final List<Map> log = new CopyOnWriteArrayList<>()
    private volatile boolean closed

    /** @param targetBaseUrl the FHIR base URL of the real server, e.g. {@code TestServer.baseUrl()} */
    FaultProxy(String targetBaseUrl) {
        this.target = URI.create(targetBaseUrl)
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
        threads.execute { acceptLoop() }
    }

    /** The proxy's FHIR base URL: the target's path on the proxy's port. */
    String baseUrl() {
        "http://127.0.0.1:${socket.localPort}${target.rawPath ?: ''}"
    }

    /** The proxy's port, e.g. to close it and leave the port unanswered. */
    int port() { socket.localPort }

    /**
     * Adds a rule.
     *
     * @param options {@code method} (null: any), {@code match} (a closure of a {@link Request}; null: any),
     *     {@code times} (default 1; -1: every matching request), {@code fault} (required)
     * @return the rule, whose {@code applied} counts the requests it broke
     */
    Rule rule(Map options) {
        assert options.fault instanceof Fault: 'a rule needs a fault'
        def rule = new Rule(options.method as String, options.match as Closure<Boolean>,
                options.containsKey('times') ? options.times as int : 1, options.fault as Fault)
        rules << rule
        rule
    }

    /** Breaks the next {@code n} requests of a method (null: any) with a fault. */
    Rule failNext(int n, String method, Fault fault) {
        rule(method: method, times: n, fault: fault)
    }

    /** Removes every rule and resets the counters and the log. */
    void clear() {
        rules.clear()
        seen.clear()
        forwarded.clear()
        log.clear()
    }

    /** How many requests of a method arrived at the proxy. */
    int seen(String method) { seen[method.toUpperCase()]?.get() ?: 0 }

    /** How many requests of a method the proxy passed on to the server. */
    int forwarded(String method) { forwarded[method.toUpperCase()]?.get() ?: 0 }

    @Override
    void close() {
        closed = true
        socket.close()
        threads.shutdownNow()
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client
            try {
                client = socket.accept()
            } catch (IOException e) {
                return
            }
            threads.execute { serve(client) }
        }
    }

    private void serve(Socket client) {
        try {
            client.withCloseable {
                def input = new BufferedInputStream(client.inputStream)
                Request request = readRequest(input)
                if (request == null) {
                    return
                }
                seen.computeIfAbsent(request.method) { new AtomicInteger() }.incrementAndGet()
                Rule rule = rules.find { it.take(request) }
                Fault fault = rule?.fault
                log << [method: request.method, target: request.target, fault: fault?.toString()]
                handle(client, request, fault)
            }
        } catch (IOException ignored) {
            // The client went away (after a delay longer than its timeout, say): nothing to answer.
        }
    }

    private void handle(Socket client, Request request, Fault fault) {
        def out = new BufferedOutputStream(client.outputStream)
        switch (fault?.kind) {
            case Fault.Kind.STATUS:
                byte[] body = fault.body.getBytes(StandardCharsets.UTF_8)
                writeAnswer(out, fault.status, fault.headers.collectEntries { k, v -> [k, [v]] } +
                        ['Content-Type': ['application/fhir+json;charset=UTF-8']], body, body.length)
                return
            case Fault.Kind.RESET:
                resetConnection(client)
                return
            case Fault.Kind.DROP:
                return
            case Fault.Kind.DELAY:
                sleep(fault.millis)
                break
        }
        HttpResponse<byte[]> answer = forward(request)
        if (fault?.kind == Fault.Kind.RESET_AFTER_FORWARDING) {
            resetConnection(client)
            return
        }
        Map<String, List<String>> headers = answer.headers().map().findAll { name, values ->
            !name.startsWith(':') && !(name.toLowerCase() in HOP_BY_HOP)
        }
        int sent = fault?.kind == Fault.Kind.TRUNCATE ? answer.body().length.intdiv(2) : answer.body().length
        writeAnswer(out, answer.statusCode(), headers, answer.body(), sent)
    }

    private static void resetConnection(Socket client) {
        client.setSoLinger(true, 0)
        client.close()
    }

    private HttpResponse<byte[]> forward(Request request) {
        forwarded.computeIfAbsent(request.method) { new AtomicInteger() }.incrementAndGet()
        URI uri = URI.create("${target.scheme}://${target.rawAuthority}${request.target}")
        def builder = HttpRequest.newBuilder(uri).method(request.method,
                request.body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body))
        request.headers.each { name, values ->
            if (!(name.toLowerCase() in HOP_BY_HOP)) {
                values.each {
                    try {
                        builder.header(name, it)
                    } catch (IllegalArgumentException restricted) {
                        // A header the JDK's client sets itself (Date, Via...): the server does without it.
                    }
                }
            }
        }
        http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
    }

    /** Writes an answer declaring {@code body.length} bytes, of which only {@code sent} are written. */
    private static void writeAnswer(OutputStream out, int status, Map<String, List<String>> headers, byte[] body, int sent) {
        def head = new StringBuilder("HTTP/1.1 $status ${reason(status)}\r\n")
        headers.each { name, values -> values.each { head.append(name).append(': ').append(it).append('\r\n') } }
        head.append('Content-Length: ').append(body.length).append('\r\n')
        head.append('Connection: close\r\n\r\n')
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1))
        out.write(body, 0, sent)
        out.flush()
    }

    private static String reason(int status) {
        [200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 412: 'Precondition Failed',
         429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
         504: 'Gateway Timeout'][status] ?: 'Status'
    }

    private static Request readRequest(InputStream input) {
        String requestLine = readLine(input)
        if (requestLine == null || requestLine.isEmpty()) {
            return null
        }
        String[] parts = requestLine.split(' ')
        Map<String, List<String>> headers = new LinkedHashMap<>()
        String line
        while ((line = readLine(input)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':')
            headers.computeIfAbsent(line.substring(0, colon).trim()) { [] } << line.substring(colon + 1).trim()
        }
        def request = new Request(parts[0], parts[1], headers, new byte[0])
        byte[] body
        if (request.header('Transfer-Encoding')?.equalsIgnoreCase('chunked')) {
            def buffer = new ByteArrayOutputStream()
            while (true) {
                int size = Integer.parseInt(readLine(input).split(';')[0].trim(), 16)
                if (size == 0) {
                    while ((line = readLine(input)) != null && !line.isEmpty()) {}
                    break
                }
                buffer.write(input.readNBytes(size))
                readLine(input)
            }
            body = buffer.toByteArray()
        } else {
            body = input.readNBytes((request.header('Content-Length') ?: '0') as int)
        }
        new Request(parts[0], parts[1], headers, body)
    }

    private static String readLine(InputStream input) {
        def line = new ByteArrayOutputStream()
        int b
        while ((b = input.read()) != -1) {
            if (b == '\n' as char) {
                break
            }
            if (b != '\r' as char) {
                line.write(b)
            }
        }
        b == -1 && line.size() == 0 ? null : new String(line.toByteArray(), StandardCharsets.ISO_8859_1)
    }
}
