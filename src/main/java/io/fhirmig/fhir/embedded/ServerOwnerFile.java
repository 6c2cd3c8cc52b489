package io.fhirmig.fhir.embedded;

import io.fhirmig.util.PrivateFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A small file beside the H2 database naming the process that holds it, so that a second process
 * can say who has the database instead of only that it is locked.
 */
final class ServerOwnerFile {

    private final Path file;

    ServerOwnerFile(Path dataDir) {
        this.file = dataDir.resolve("owner.txt");
    }

    Path dataDir() {
        return file.getParent();
    }

    void write(String baseUrl) {
        String text = "pid " + ProcessHandle.current().pid() + " serving " + baseUrl
                + " (" + ManagementFactory.getRuntimeMXBean().getName() + ")\n";
        try {
            PrivateFiles.writeString(file, text);
        } catch (IOException e) {
            // Only a courtesy for other processes' messages: never fail the server for it.
        }
    }

    Optional<String> read() {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Stale owner files are harmless: the database lock is the real guard.
        }
    }
}
