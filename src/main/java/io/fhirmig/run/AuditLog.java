package io.fhirmig.run;

import io.fhirmig.api.Json;
import io.fhirmig.generate.GeneratedMigration;
import io.fhirmig.util.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The audit trail: one JSON line per run start, step start, step success, step failure, stamp, adopt,
 * unlock, repair and generate, written to the {@code fhirmig.audit} logger (by default
 * {@code .fhirmig/audit.log}). Server URLs are written without credentials.
 */
public final class AuditLog {

    private static final Logger AUDIT = LogManager.getLogger("fhirmig.audit");

    private final String namespace;
    private final String server;
    private final RunIdentity identity;

    public AuditLog(String namespace, String server, RunIdentity identity) {
        this.namespace = namespace;
        this.server = server;
        this.identity = identity;
    }

    /**
     * Writes the {@code generate} event of a script that {@code generate} or {@code merge} wrote.
     *
     * @param written the script written
     * @param merge whether it is a merge migration
     * @param offline whether its parents were taken from the graph without asking the server
     */
    public void generated(GeneratedMigration written, boolean merge, boolean offline) {
        event("generate")
                .with("file", written.file().toString())
                .with("revision", written.revision())
                .with("downRevisions", String.join(",", written.downRevisions()))
                .with("merge", merge ? Boolean.TRUE : null)
                .with("offline", offline)
                .with("template", written.template())
                .with("outcome", "success")
                .write();
    }

    private static volatile boolean folderReady;

    /**
     * Log4j makes the audit file's folder as the umask says: made here first, 0700 (the file itself is
     * 0600, by the appender's filePermissions).
     */
    private static void prepareFolder() {
        if (folderReady) {
            return;
        }
        folderReady = true;
        Path folder = Path.of(System.getProperty("fhirmig.audit.file", ".fhirmig/audit.log"))
                .toAbsolutePath().getParent();
        try {
            if (folder != null && !Files.exists(folder)) {
                PrivateFiles.createDirectories(folder);
            }
        } catch (IOException e) {
            // Log4j reports a folder it cannot write.
        }
    }

    /** Starts an event; add fields, then {@link Event#write()}. */
    public Event event(String name) {
        return new Event(name);
    }

    /** One audit event under construction. */
    public final class Event {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Event(String name) {
            fields.put("time", Instant.now().toString());
            fields.put("event", name);
            fields.put("namespace", namespace);
            fields.put("server", server);
            fields.put("user", identity.user());
            fields.put("host", identity.host());
            fields.put("run", identity.runId());
        }

        public Event with(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        public void write() {
            fields.values().removeIf(Objects::isNull);
            prepareFolder();
            AUDIT.info(Json.line(fields));
        }
    }
}
