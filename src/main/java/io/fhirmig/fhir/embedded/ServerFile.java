package io.fhirmig.fhir.embedded;

import io.fhirmig.util.PrivateFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The file by which other processes find the server that serves a data folder ({@code `fhirmig
 * serve`}, in the foreground or in the background): its process and its URL. Written once the server
 * answers, deleted when it stops; left behind by a killed server, which the reader detects (the
 * process is gone, or started at another time, or does not answer). The user's alone (0600).
 *
 * @param pid the server's process
 * @param processStart when that process started (epoch milliseconds; 0 if unknown), which tells a
 *     reused pid from the server's
 * @param baseUrl the FHIR base URL on loopback
 * @param background whether it was started in the background by a command (else a foreground serve)
 */
public record ServerFile(long pid, long processStart, String baseUrl, boolean background) {

    public static final String NAME = "server.properties";

    /** This process, serving {@code baseUrl}. */
    public static ServerFile ofThisProcess(String baseUrl, boolean background) {
        return new ServerFile(ProcessHandle.current().pid(), startOf(ProcessHandle.current()), baseUrl, background);
    }

    /** When a process started, in epoch milliseconds; 0 if the system does not say. */
    public static long startOf(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** The server file of a data folder, if there is a readable one. */
    public static Optional<ServerFile> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        try {
            Properties values = new Properties();
            values.load(new StringReader(Files.readString(file)));
            return Optional.of(new ServerFile(Long.parseLong(values.getProperty("pid", "").trim()),
                    Long.parseLong(values.getProperty("processStart", "0").trim()),
                    values.getProperty("url", "").trim(),
                    Boolean.parseBoolean(values.getProperty("background", "false").trim())));
        } catch (IOException | RuntimeException e) {
            // Missing, half written by a killed process, or not ours: no server is known.
            return Optional.empty();
        }
    }

    /** Whether the process this file names is alive and is the one that wrote it (not a reused pid). */
    public boolean processAlive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> processStart == 0 || startOf(p) == 0 || Math.abs(startOf(p) - processStart) < 2000)
                .isPresent();
    }

    /** Writes this file into the data folder, whole or not at all (a temporary file moved into place). */
    void write(Path dataDir) throws IOException {
        String text = "# the FHIR server serving this folder (fhirmig serve); deleted when it stops\n"
                + "pid=" + pid + "\nprocessStart=" + processStart + "\nurl=" + baseUrl
                + "\nbackground=" + background + "\n";
        Path temporary = dataDir.resolve(NAME + "." + pid + ".tmp");
        PrivateFiles.writeString(temporary, text);
        try {
            Files.move(temporary, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes the data folder's server file if it still names this process (a successor may have replaced it). */
    void deleteIfOurs(Path dataDir) {
        if (read(dataDir).filter(f -> f.pid == pid).isPresent()) {
            try {
                Files.deleteIfExists(dataDir.resolve(NAME));
            } catch (IOException e) {
                // Left behind, it is detected as stale: the process is gone.
            }
        }
    }
}
