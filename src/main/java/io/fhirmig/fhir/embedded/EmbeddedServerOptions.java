package io.fhirmig.fhir.embedded;

import java.nio.file.Path;

/**
 * Where the embedded server keeps its data and where it listens.
 *
 * @param dataDir the folder of the H2 files, or {@code null} for an in-memory database
 * @param port the loopback port, or 0 for a free one chosen by the system
 */
public record EmbeddedServerOptions(Path dataDir, int port) {

    /** An in-memory server on a free port: what the tests use. */
    public static EmbeddedServerOptions inMemory() {
        return new EmbeddedServerOptions(null, 0);
    }

    public boolean inMemoryDatabase() {
        return dataDir == null;
    }

    String jdbcUrl() {
        if (inMemoryDatabase()) {
            // One name per server, so that two servers in one JVM never share a database.
            return "jdbc:h2:mem:fhirmig-" + System.identityHashCode(this) + ";DB_CLOSE_DELAY=-1";
        }
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("fhirmig") + ";DB_CLOSE_ON_EXIT=FALSE";
    }
}
