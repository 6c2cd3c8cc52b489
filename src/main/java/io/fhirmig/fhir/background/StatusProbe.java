package io.fhirmig.fhir.background;

import io.fhirmig.fhir.embedded.ServerFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/** Asks the server a server file names who it is ({@code GET /fhirmig/status}, on loopback). */
final class StatusProbe {

    /** What the probe found. */
    sealed interface Found {
    }

    /** No server: no file, or its process is gone (killed, or the pid reused by another). */
    record Nothing() implements Found {
    }

    /** The server answers. */
    record Answering(RunningServer server) implements Found {
    }

    /** The process lives but does not answer as the server (hung, or stopping): to wait for or stop. */
    record Silent(ServerFile file, boolean stopping) implements Found {
    }

    /** Where the server answers who it is (the embedded server's status servlet). */
    private static final String STATUS_PATH = "/fhirmig/status";

    private StatusProbe() {
    }

    /**
     * @param use whether a command is about to send requests, which counts as one for the idle stop
     */
    static Found probe(Path dataDir, Duration timeout, boolean use) {
        ServerFile file = ServerFile.read(dataDir).orElse(null);
        if (file == null || !file.processAlive()) {
            return new Nothing();
        }
        if (!file.baseUrl().startsWith("http://127.0.0.1:")) {
            // Only ever written so: anything else is not a file of fhirmig's, and is not followed.
            return new Nothing();
        }
        try {
            int port = Integer.parseInt(file.baseUrl().substring("http://127.0.0.1:".length(),
                    file.baseUrl().indexOf('/', "http://127.0.0.1:".length())));
            Answer answer = get(port, STATUS_PATH + (use ? "?use" : ""), timeout);
            Properties status = new Properties();
            status.load(new StringReader(answer.body()));
            if (answer.code() != 200 || !String.valueOf(file.pid()).equals(status.getProperty("pid"))) {
                return new Silent(file, "stopping".equals(status.getProperty("state")));
            }
            return new Answering(server(status, dataDir));
        } catch (IOException | RuntimeException e) {
            return new Silent(file, false);
        }
    }

    private record Answer(int code, String body) {
    }

    /**
     * One HTTP/1.0 GET on loopback over a plain socket: HttpURLConnection would look up the JDK's
     * logger service first, which reads every jar of the class path, a large part of a short command.
     */
    private static Answer get(int port, String path, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.") || headersEnd < 0) {
                throw new IOException("not an HTTP answer");
            }
            int code = Integer.parseInt(response.substring(9, 12));
            return new Answer(code, response.substring(headersEnd + 4));
        }
    }

    private static RunningServer server(Properties status, Path dataDir) {
        long limit = Long.parseLong(status.getProperty("idleStopMillis", "0"));
        long idle = Long.parseLong(status.getProperty("idleMillis", "0"));
        String folder = status.getProperty("dataDir", "");
        return new RunningServer(Long.parseLong(status.getProperty("pid")), status.getProperty("url"),
                folder.isEmpty() ? dataDir : Path.of(folder), status.getProperty("build", ""),
                Boolean.parseBoolean(status.getProperty("background")),
                limit == 0 ? null : Duration.ofMillis(limit),
                limit == 0 ? null : Duration.ofMillis(Math.max(0, limit - idle)));
    }
}
