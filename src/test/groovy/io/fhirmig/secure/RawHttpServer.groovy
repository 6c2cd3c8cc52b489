package io.fhirmig.secure

import java.nio.charset.StandardCharsets

/**
 * A loopback server that answers every request with the same bytes, status line included: a reason
 * phrase of any text (escape sequences too), which no HTTP server library would write.
 */
final class RawHttpServer implements AutoCloseable {

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private final Thread thread
    volatile int served

    RawHttpServer(String statusLine, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8)
        def head = ("HTTP/1.1 ${statusLine}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)
        def buffer = new ByteArrayOutputStream()
        buffer.write(head)
        buffer.write(bytes)
        byte[] answer = buffer.toByteArray()
        thread = Thread.startDaemon('raw-http-server') {
            while (!socket.closed) {
                try {
                    socket.accept().withCloseable { Socket client ->
                        def input = new BufferedReader(new InputStreamReader(client.inputStream, StandardCharsets.ISO_8859_1))
                        String line
                        while ((line = input.readLine()) != null && !line.isEmpty()) {
                        }
                        served++
                        client.outputStream.write(answer)
                        client.outputStream.flush()
                    }
                } catch (IOException e) {
                    // closed
                }
            }
        }
    }

    String baseUrl() {
        "http://127.0.0.1:${socket.localPort}/fhir"
    }

    @Override
    void close() {
        socket.close()
    }
}
