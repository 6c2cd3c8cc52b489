package io.fhirmig.fhir.background;

import io.fhirmig.fhir.embedded.ServerFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.URI;
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
        String base = file.baseUrl().substring(0, file.baseUrl().length() - "/fhir".length());
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(base + "/fhirmig/status" + (use ? "?use" : ""))
                    .toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            int code = connection.getResponseCode();
            InputStream body = code == 200 ? connection.getInputStream() : connection.getErrorStream();
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            Properties status = new Properties();
            status.load(new StringReader(text));
            if (code != 200 || !String.valueOf(file.pid()).equals(status.getProperty("pid"))) {
                return new Silent(file, "stopping".equals(status.getProperty("state")));
            }
            return new Answering(server(status, dataDir));
        } catch (IOException | RuntimeException e) {
            return new Silent(file, false);
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
