package io.fhirmig.run;

import io.fhirmig.state.InconsistentStateException;
import io.fhirmig.state.StateSnapshot;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.ConnectionOptions;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.script.ScriptCache;
import io.fhirmig.script.ScriptCompiler;
import io.fhirmig.state.FhirStateStore;
import io.fhirmig.state.LegacyToolState;
import io.fhirmig.state.StateStore;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Everything a command or an API call works with: the migrations of a versions folder (loaded on
 * first use), the FHIR server (the embedded one started in this process when asked for), the state
 * store of one namespace and the audit log. The command line and {@code io.fhirmig.Fhirmig} both
 * open one.
 */
public final class Workspace implements AutoCloseable {

    private volatile StateSnapshot stateAhead;
    private volatile InconsistentStateException stateAheadProblem;

    /** The URL that asks for the embedded server. */
    public static final String EMBEDDED = "embedded";

    private final Path versions;
    private final String namespace;
    /** Opens the connection (for the embedded server: starts it) on first use; null once it has. */
    private Supplier<Connected> connecting;
    private AutoCloseable embedded;
    private FhirConnection connection;
    private final String displayUrl;
    /** Made on first use: only runs and maintenance need it, and the host's name can take a lookup. */
    private RunIdentity identity;
    private ScriptCache cache = ScriptCache.none();
    private MigrationSet migrations;
    private CompletableFuture<MigrationSet> loading;
    private StateStore store;
    /** The Python tool's {@code MIGRATION_RESOURCE_ID}; null for its default. */
    private String legacyResourceId;

    private record Connected(AutoCloseable embedded, FhirConnection connection) {}

    private Workspace(Path versions, String namespace, String displayUrl, Supplier<Connected> connecting) {
        this.versions = versions;
        this.namespace = namespace;
        this.displayUrl = displayUrl;
        this.connecting = connecting;
    }

    /**
     * Opens a workspace on a server given by URL; {@link #EMBEDDED} asks for the embedded server with
     * its data in {@code embeddedDataDir}. Nothing is connected, started or sent until the server is
     * first needed.
     */
    public static Workspace open(String url, Path versions, String namespace, Path embeddedDataDir) {
        return open(ConnectionOptions.of(url), versions, namespace, embeddedDataDir);
    }

    /**
     * Opens a workspace on a server given by connection options (URL, credentials, CA file, headers);
     * the embedded server needs none of them but the timeouts and retries.
     */
    public static Workspace open(ConnectionOptions connection, Path versions, String namespace, Path embeddedDataDir) {
        checkNamespace(namespace);
        String url = connection.url();
        if (isEmbedded(url)) {
            return new Workspace(versions, namespace, EMBEDDED, () -> {
                EmbeddedStart.Started started = EmbeddedStart.start(embeddedDataDir);
                try {
                    return new Connected(started.server(), FhirConnection.open(ConnectionOptions.of(started.baseUrl())
                            .withTimeouts(connection.connectTimeout(), connection.readTimeout())
                            .withRetries(connection.retries())));
                } catch (RuntimeException e) {
                    closeQuietly(started.server());
                    throw e;
                }
            });
        }
        FhirConnection opened = FhirConnection.open(connection);
        return new Workspace(versions, namespace, opened.displayUrl(), () -> new Connected(null, opened));
    }

    /**
     * Opens a workspace on an embedded server that runs in another process (the command line's
     * background server, or a {@code fhirmig serve}), named as the embedded server in output and the
     * audit log: its data is the embedded server's whatever its port.
     *
     * @param connection the server's URL on loopback, with the timeouts and retries to use
     */
    public static Workspace openRunningEmbedded(ConnectionOptions connection, Path versions, String namespace) {
        checkNamespace(namespace);
        FhirConnection opened = FhirConnection.open(connection);
        return new Workspace(versions, namespace, EMBEDDED, () -> new Connected(null, opened));
    }

    /** Opens a workspace on a client that the host application made. */
    public static Workspace open(IGenericClient client, Path versions, String namespace) {
        checkNamespace(namespace);
        checkR4(client.getFhirContext());
        FhirConnection connection = FhirConnection.of(client);
        return new Workspace(versions, namespace, connection.displayUrl(), () -> new Connected(null, connection));
    }

    /** Whether a URL setting asks for the embedded server. */
    public static boolean isEmbedded(String url) {
        return EMBEDDED.equalsIgnoreCase(url == null ? null : url.trim());
    }

    /** Refuses a namespace that could not be an identifier value the state is found by. */
    public static void checkNamespace(String namespace) {
        if (!isNamespaceName(namespace)) {
            throw new FhirmigException(FhirmigException.Kind.USAGE,
                    "namespace '" + namespace + "' may hold only letters, digits, '_', '.' and '-'");
        }
    }

    // A loop, not a regular expression: this runs before every command, and the first pattern compiled
    // in a process costs more than the rest of the check (loading and starting java.util.regex).
    private static boolean isNamespaceName(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return false;
        }
        for (int i = 0; i < namespace.length(); i++) {
            char c = namespace.charAt(i);
            boolean allowed = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '_' || c == '.' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Migrations are written against the R4 model: refuses a context of another FHIR version. */
    public static void checkR4(FhirContext context) {
        if (context.getVersion().getVersion() != ca.uhn.fhir.context.FhirVersionEnum.R4) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "fhirmig's migrations use FHIR R4, but the"
                    + " FHIR context given is " + context.getVersion().getVersion() + ": pass an R4 context or client");
        }
    }

    /** Keeps script headers and compiled scripts in this cache; without it nothing is cached. */
    public Workspace caching(ScriptCache scriptCache) {
        this.cache = scriptCache;
        return this;
    }

    /**
     * Where the Python tool fhirmig descends from kept its state: the identifier value of its
     * {@code Basic} (its {@code MIGRATION_RESOURCE_ID}).
     *
     * @param resourceId the value; null or blank for the tool's default
     */
    public Workspace legacyResourceId(String resourceId) {
        this.legacyResourceId = resourceId;
        return this;
    }

    /** The Python tool's state on this workspace's server, as runs look for it on a namespace with no state. */
    public Adoption adoption() {
        return new Adoption(new LegacyToolState(connection(), legacyResourceId), namespace);
    }

    /**
     * Takes the migrations from a load started earlier (see {@link MigrationSet#loadInBackground}),
     * so that reading thousands of scripts overlaps with opening the connection and the first
     * request; {@link #migrations()} waits for it.
     */
    public Workspace loadingFrom(CompletableFuture<MigrationSet> load) {
        this.loading = load;
        this.migrations = null;
        return this;
    }

    /** Starts loading the migrations on a thread of their own, unless they are loaded or loading. */
    public synchronized void loadInBackground() {
        if (migrations == null && loading == null) {
            loading = MigrationSet.loadInBackground(versions, cache);
        }
    }

    /** The migrations, loaded and validated on first use. */
    public MigrationSet migrations() {
        if (migrations == null) {
            migrations = loading != null ? awaitLoading() : MigrationSet.load(versions, cache);
            loading = null;
        }
        return migrations;
    }

    private MigrationSet awaitLoading() {
        // The loading thread's failure is this thread's: rethrown as it was thrown.
        return Futures.join(loading);
    }

    /** Forgets the loaded migrations, so that the next use reads the folder again (e.g. after a script was written). */
    public void reload() {
        migrations = null;
        loading = null;
    }

    public Path versions() {
        return versions;
    }

    public String namespace() {
        return namespace;
    }

    /** The connection to the server; for the embedded server, started now if it is not yet. */
    public synchronized FhirConnection connection() {
        if (connecting != null) {
            Connected connected = connecting.get();
            connecting = null;
            embedded = connected.embedded();
            connection = connected.connection();
        }
        return connection;
    }


    /** The namespace's state store; with a cache, the applied records are kept in it between runs. */
    public StateStore store() {
        if (store == null) {
            store = cache.enabled() ? new CachedRecordsStore(connection(), namespace, serverName(), cache)
                    : new FhirStateStore(connection(), namespace);
        }
        return store;
    }

    /** Reads the state now, for the next {@link #state()}: a command's first read, made ahead of it. */
    public void readStateAhead() {
        try {
            stateAhead = store().read();
        } catch (InconsistentStateException e) {
            stateAheadProblem = e;
        }
    }

    /**
     * The namespace's state: as read ahead ({@link #readStateAhead()}), the first time, else read from
     * the server now.
     *
     * @throws InconsistentStateException when the state contradicts itself
     */
    public StateSnapshot state() {
        InconsistentStateException problem = stateAheadProblem;
        if (problem != null) {
            stateAheadProblem = null;
            throw problem;
        }
        StateSnapshot state = stateAhead;
        if (state != null) {
            stateAhead = null;
            return state;
        }
        return store().read();
    }

    public AuditLog audit() {
        return new AuditLog(namespace, serverName(), identity());
    }

    public synchronized RunIdentity identity() {
        if (identity == null) {
            identity = RunIdentity.current();
        }
        return identity;
    }

    public ScriptCompiler compiler() {
        return new ScriptCompiler(cache);
    }

    /** A migrator for this workspace with the given options. */
    public Migrator migrator(RunOptions options) {
        return new Migrator(migrations(), store(), connection(), compiler(), audit(), identity(), options, adoption());
    }

    /** The maintenance commands (stamp, unlock, repair, adopt) for this workspace with the given options. */
    public Maintenance maintenance(RunOptions options) {
        return new Maintenance(migrations(), store(), audit(), identity(), options, adoption());
    }

    /** How the server is named in output and the audit log: never with credentials. */
    public String serverName() {
        return displayUrl;
    }

    /** Stops the embedded server, if this workspace started one. */
    @Override
    public synchronized void close() {
        if (store instanceof CachedRecordsStore cached) {
            cached.flush();
        }
        if (embedded != null) {
            closeQuietly(embedded);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
