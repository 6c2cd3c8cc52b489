package io.fhirmig.fhir.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the embedded server keeps its data and where it listens.
 *
 * @param dataDir the folder of the H2 files, or {@code null} for an in-memory database
 * @param port the loopback port, or 0 for a free one chosen by the system
 * @param interceptors HAPI server interceptors to register (e.g. one that checks credentials); none by default
 * @param tls serve HTTPS with this key store instead of HTTP, or {@code null}
 * @param shared how it serves its data folder to other processes ({@code fhirmig serve}), or {@code
 *     null} for a server of one process (a command's, an application's, a test's)
 */
public record EmbeddedServerOptions(Path dataDir, int port, List<Object> interceptors, Tls tls, Shared shared) {

    /**
     * A server that other processes find through its {@link ServerFile} and use.
     *
     * @param background started in the background by a command, rather than by the user in the foreground
     * @param idleStop how long without a FHIR request before it stops itself; {@code null} for never
     */
    public record Shared(boolean background, Duration idleStop) {
    }

    /**
     * The server's certificate and key for HTTPS.
     *
     * @param keyStore a PKCS#12 key store with the server's key and certificate chain
     * @param password the key store's password
     */
    public record Tls(Path keyStore, String password) {
        @Override
        public String toString() {
            return "Tls[" + keyStore + "]";
        }
    }

    public EmbeddedServerOptions {
        interceptors = List.copyOf(interceptors);
    }

    /** Options without sharing. */
    public EmbeddedServerOptions(Path dataDir, int port, List<Object> interceptors, Tls tls) {
        this(dataDir, port, interceptors, tls, null);
    }

    /** A plain HTTP server without interceptors: what fhirmig runs. */
    public EmbeddedServerOptions(Path dataDir, int port) {
        this(dataDir, port, List.of(), null);
    }

    /** An in-memory server on a free port: what the tests use. */
    public static EmbeddedServerOptions inMemory() {
        return new EmbeddedServerOptions(null, 0);
    }

    /** These options with one more HAPI server interceptor. */
    public EmbeddedServerOptions withInterceptor(Object interceptor) {
        List<Object> more = new ArrayList<>(interceptors);
        more.add(interceptor);
        return new EmbeddedServerOptions(dataDir, port, more, tls, shared);
    }

    /** These options serving HTTPS with the given PKCS#12 key store. */
    public EmbeddedServerOptions withTls(Path keyStore, String password) {
        return new EmbeddedServerOptions(dataDir, port, interceptors, new Tls(keyStore, password), shared);
    }

    /** These options for a server that serves its data folder to other processes (needs a data folder). */
    public EmbeddedServerOptions sharedWith(Shared sharing) {
        return new EmbeddedServerOptions(dataDir, port, interceptors, tls, sharing);
    }

    public boolean inMemoryDatabase() {
        return dataDir == null;
    }

    String jdbcUrl() {
        if (inMemoryDatabase()) {
            // One name per server, so that two servers in one JVM never share a database.
            return "jdbc:h2:mem:fhirmig-" + System.identityHashCode(this) + ";DB_CLOSE_DELAY=-1";
        }
        // WRITE_DELAY=0: H2 writes each commit to its file before the commit returns. By default it
        // writes up to half a second later, so a server killed with -9 lost writes it had already
        // answered, and with them heads fhirmig had reported done.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("fhirmig") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }
}
