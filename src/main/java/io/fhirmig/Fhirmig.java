package io.fhirmig;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import io.fhirmig.api.AdoptResult;
import io.fhirmig.api.CheckResult;
import io.fhirmig.api.CurrentState;
import io.fhirmig.api.Direction;
import io.fhirmig.api.DryRunReport;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.GeneratedScript;
import io.fhirmig.api.Head;
import io.fhirmig.api.History;
import io.fhirmig.api.InitResult;
import io.fhirmig.api.MigrationPlan;
import io.fhirmig.api.MigrationResult;
import io.fhirmig.api.ProgressListener;
import io.fhirmig.api.RepairResult;
import io.fhirmig.api.RevisionInfo;
import io.fhirmig.api.StatusView;
import io.fhirmig.api.StoppedRun;
import io.fhirmig.api.VerifyOptions;
import io.fhirmig.api.VerifyReport;
import io.fhirmig.fhir.ConnectionOptions;
import io.fhirmig.fhir.ExtraHeaders;
import io.fhirmig.fhir.auth.Authentication;
import io.fhirmig.fhir.auth.Secret;
import io.fhirmig.generate.ProjectInit;
import io.fhirmig.graph.Target;
import io.fhirmig.run.ActiveRuns;
import io.fhirmig.run.Checks;
import io.fhirmig.run.Maintenance;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.NewScripts;
import io.fhirmig.run.Queries;
import io.fhirmig.run.Results;
import io.fhirmig.run.RunOptions;
import io.fhirmig.run.RunResult;
import io.fhirmig.run.Workspace;
import io.fhirmig.script.ScriptCache;
import io.fhirmig.state.LegacyToolState;
import io.fhirmig.verify.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * fhirmig as a library: versioned, reversible data migrations for a FHIR server, run from Java
 * code, for example at an application's start-up.
 *
 * <pre>{@code
 * try (Fhirmig fhirmig = Fhirmig.configure()
 *         .url("https://fhir.example.org/fhir")
 *         .versions(Path.of("versions"))
 *         .load()) {
 *     MigrationResult result = fhirmig.upgrade();
 * }
 * }</pre>
 *
 * <p>Every method returns what it did as a value and throws {@link FhirmigException} for anything
 * the caller must act on (its {@link FhirmigException#kind() kind} says what: a failed migration,
 * invalid migrations, a server that cannot be used, another run holding the lock, bad usage). It
 * never prints and never exits; it logs through Log4j2 (loggers {@code io.fhirmig} and, for the
 * audit trail, {@code fhirmig.audit}).
 *
 * <p>An instance is meant for one thread at a time. Runs of several processes against the same
 * server and namespace are safe: each takes the namespace's lock on the server.
 */
public final class Fhirmig implements AutoCloseable {

    /** How long to wait for a connection to the server, unless {@link Builder#connectTimeout} says otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = ConnectionOptions.DEFAULT_CONNECT_TIMEOUT;
    /** How long to wait for the server's answer, unless {@link Builder#readTimeout} says otherwise. */
    public static final Duration DEFAULT_READ_TIMEOUT = ConnectionOptions.DEFAULT_READ_TIMEOUT;
    /** The Python tool's {@code MIGRATION_RESOURCE_ID}, unless {@link Builder#legacyResourceId} says otherwise. */
    public static final String DEFAULT_LEGACY_RESOURCE_ID = LegacyToolState.DEFAULT_RESOURCE_ID;

    private final Workspace workspace;
    private final RunOptions options;
    private final Path templates;
    private final boolean templatesConfigured;

    private Fhirmig(Workspace workspace, RunOptions options, Path templates, boolean templatesConfigured) {
        this.workspace = workspace;
        this.options = options;
        this.templates = templates;
        this.templatesConfigured = templatesConfigured;
    }

    /**
     * Starts a configuration.
     *
     * @return a builder with the defaults: versions folder {@code versions}, namespace
     *     {@code default}, no lock wait
     */
    public static Builder configure() {
        return new Builder();
    }

    /**
     * How fhirmig is configured: which server, which migrations, which namespace. Set a server with
     * {@link #url(String)} or {@link #client(IGenericClient)}, then call {@link #load()}.
     */
    public static final class Builder {

        private String url;
        private IGenericClient client;
        private FhirContext fhirContext;
        private Path versions = Path.of("versions");
        private String namespace = "default";
        private Path templates;
        private boolean templatesRequired;
        private Path embeddedDataDir = Path.of(".fhirmig", "server");
        private String runningEmbeddedUrl;
        private Path cacheDir;
        private Duration lockWait = Duration.ZERO;
        private Duration lockTtl = RunOptions.DEFAULT_LOCK_TTL;
        private Duration stepTimeout;
        private Map<String, String> parameters = Map.of();
        private String bearerToken;
        private Path bearerTokenFile;
        private String basicUser;
        private String basicPassword;
        private Authentication clientCredentials;
        private Path caFile;
        private final ExtraHeaders headers = new ExtraHeaders();
        private Duration connectTimeout = ConnectionOptions.DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = ConnectionOptions.DEFAULT_READ_TIMEOUT;
        private int retries = ConnectionOptions.DEFAULT_RETRIES;
        private String legacyResourceId;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {
        }

        /**
         * The FHIR server's base URL, e.g. {@code https://fhir.example.org/fhir}; or {@code embedded}
         * for an embedded HAPI FHIR server in this process (its dependencies are optional: see
         * docs/java-api.md). Not needed with {@link #client(IGenericClient)}.
         *
         * @param url the base URL, or {@code embedded}
         * @return this builder
         */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /**
         * The application's own HAPI client: migrations and fhirmig's state use it as it is
         * configured (authentication, interceptors, timeouts). It must be an R4 client. Takes the
         * place of {@link #url(String)}.
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(IGenericClient client) {
            this.client = client;
            return this;
        }

        /**
         * The application's R4 FHIR context, used to make the client for {@link #url(String)} (with
         * the context's own client factory settings), so that the application does not build a
         * second context. Without it, fhirmig uses its own, with timeouts and retries (see
         * {@link #retries(int)}).
         *
         * @param fhirContext the context
         * @return this builder
         */
        public Builder fhirContext(FhirContext fhirContext) {
            this.fhirContext = fhirContext;
            return this;
        }

        /**
         * The folder of the migration scripts.
         *
         * @param versions the folder (default: {@code versions} in the working directory)
         * @return this builder
         */
        public Builder versions(Path versions) {
            this.versions = Objects.requireNonNull(versions, "versions");
            return this;
        }

        /**
         * The namespace of this application's migration state on the server, so that several
         * applications can share a server.
         *
         * @param namespace letters, digits, {@code _}, {@code .} and {@code -} (default: {@code default})
         * @return this builder
         */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /**
         * The folder holding {@code migration.groovy.template} for {@link Fhirmig#generate(String)}.
         * Without it, {@code templates/} of the working directory is used when it has the template,
         * else the built-in template.
         *
         * @param templates the folder; it must hold the template
         * @return this builder
         */
        public Builder templates(Path templates) {
            return templates(templates, true);
        }

        /**
         * The folder holding {@code migration.groovy.template}, as {@link #templates(Path)}.
         *
         * @param templates the folder
         * @param required whether it must hold the template; if not, a folder without it means the
         *     built-in template
         * @return this builder
         */
        public Builder templates(Path templates, boolean required) {
            this.templates = Objects.requireNonNull(templates, "templates");
            this.templatesRequired = required;
            return this;
        }

        /**
         * The embedded server as it runs in another process on this machine (a {@code fhirmig serve},
         * or the command line's background server), at its loopback URL: used as a server given by
         * URL, and named {@code embedded} in the audit log, as its data is the embedded server's.
         *
         * @param baseUrl the server's base URL, e.g. {@code http://127.0.0.1:8080/fhir}
         * @return this builder
         */
        public Builder embeddedRunningAt(String baseUrl) {
            this.runningEmbeddedUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * Where the embedded server keeps its database, for {@code url("embedded")}.
         *
         * @param dataDir the folder (default: {@code .fhirmig/server})
         * @return this builder
         */
        public Builder embeddedDataDir(Path dataDir) {
            this.embeddedDataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /**
         * For {@code url("embedded")}: an embedded server whose database is in memory, empty when it
         * starts and gone when it stops (tests, or a scratch server for {@link Fhirmig#verify(VerifyOptions)}).
         *
         * @return this builder
         */
        public Builder embeddedInMemory() {
            this.embeddedDataDir = null;
            return this;
        }

        /**
         * Keeps the scripts' headers and compiled classes in a cache folder, as the command line does
         * in {@code .fhirmig/cache}, so that loading many migrations and running them is fast. Scripts
         * are compiled against fhirmig's own class loader. Without it nothing is cached.
         *
         * @param cacheDir the folder (created when first written)
         * @return this builder
         */
        public Builder cache(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
            return this;
        }

        /**
         * How long a run waits for another run's lock before it gives up.
         *
         * @param lockWait the wait (default: zero, give up at once)
         * @return this builder
         */
        public Builder lockWait(Duration lockWait) {
            this.lockWait = Objects.requireNonNull(lockWait, "lockWait");
            return this;
        }

        /**
         * How long this run's lock stays valid without renewal; a run that dies blocks others this
         * long at most.
         *
         * @param lockTtl the time to live (default: 10 minutes)
         * @return this builder
         */
        public Builder lockTtl(Duration lockTtl) {
            this.lockTtl = Objects.requireNonNull(lockTtl, "lockTtl");
            return this;
        }

        /**
         * How long one step may run: a step still running then is stopped (its requests refused from
         * then on) and fails, with the lock released.
         *
         * @param stepTimeout the limit (default: none); zero or null for none
         * @return this builder
         */
        public Builder stepTimeout(Duration stepTimeout) {
            this.stepTimeout = stepTimeout;
            return this;
        }

        /**
         * Parameters for the migration scripts, seen as {@code migration.parameters.KEY}.
         *
         * @param parameters the parameters
         * @return this builder
         */
        public Builder parameters(Map<String, String> parameters) {
            this.parameters = new LinkedHashMap<>(parameters);
            return this;
        }

        /**
         * Sends {@code Authorization: Bearer TOKEN} with every request to the server given by
         * {@link #url(String)}.
         *
         * @param token the access token
         * @return this builder
         */
        public Builder bearerToken(String token) {
            this.bearerToken = token;
            return this;
        }

        /**
         * Sends HTTP basic authentication with every request to the server given by
         * {@link #url(String)}.
         *
         * @param user the user name
         * @param password the password
         * @return this builder
         */
        public Builder basicAuth(String user, String password) {
            this.basicUser = user;
            this.basicPassword = password;
            return this;
        }

        /**
         * HTTP basic authentication, as {@link #basicAuth(String, String)}, with the password read
         * from a file that holds nothing else (read now).
         *
         * @param user the user name
         * @param passwordFile the password's file
         * @return this builder
         * @throws FhirmigException {@code USAGE} when the file cannot be read or is empty
         */
        public Builder basicAuthPasswordFile(String user, Path passwordFile) {
            this.basicUser = user;
            this.basicPassword = Secret.readFile(
                    Objects.requireNonNull(passwordFile, "passwordFile"), "password").reveal();
            return this;
        }

        /**
         * Who is told of the progress of long bulk operations in scripts ({@code migration.forEach},
         * {@code create}, {@code deleteAll}).
         *
         * @param listener the listener (default: {@link ProgressListener#NONE})
         * @return this builder
         */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * How long to wait for a connection to the server given by {@link #url(String)}. Not used
         * with {@link #client(IGenericClient)} or {@link #fhirContext(FhirContext)}, whose own
         * settings apply.
         *
         * @param connectTimeout the wait, more than zero (default: 10 seconds)
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long to wait for the server's answer to one request, for the server given by
         * {@link #url(String)}; a large transaction needs minutes. Not used with
         * {@link #client(IGenericClient)} or {@link #fhirContext(FhirContext)}.
         *
         * @param readTimeout the wait, more than zero (default: 5 minutes)
         * @return this builder
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
            return this;
        }

        /**
         * How often a request that is safe to repeat (a read, a conditional or versioned write) is
         * sent again after a transient failure: 429, 502, 503 or 504, a broken connection, a read
         * timeout, an answer cut off. A plain create or a transaction is never sent again. Not used
         * with {@link #client(IGenericClient)} or {@link #fhirContext(FhirContext)}.
         *
         * @param retries 0 or more (default: 3)
         * @return this builder
         */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /**
         * Sends {@code Authorization: Bearer TOKEN} with every request, the token read from a file
         * that holds nothing else (read when {@link #load()} is called).
         *
         * @param file the token's file
         * @return this builder
         */
        public Builder bearerTokenFile(Path file) {
            this.bearerTokenFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * OAuth 2.0 client credentials with a client secret: fhirmig asks the token endpoint for an
         * access token (HTTP basic with the client's id and secret) and renews it before it expires.
         *
         * @param tokenUrl the token endpoint
         * @param clientId the client's id
         * @param secret the client's secret
         * @param scope the scope to ask for, or {@code null}
         * @return this builder
         */
        public Builder clientSecret(String tokenUrl, String clientId, String secret, String scope) {
            this.clientCredentials = new Authentication.ClientSecret(
                    Objects.requireNonNull(tokenUrl, "tokenUrl"), Objects.requireNonNull(clientId, "clientId"),
                    Secret.of(Objects.requireNonNull(secret, "secret")), scope);
            return this;
        }

        /**
         * OAuth 2.0 client credentials with a client secret read from a file that holds nothing else
         * (read now), as {@link #clientSecret(String, String, String, String)}.
         *
         * @param tokenUrl the token endpoint
         * @param clientId the client's id
         * @param secretFile the client secret's file
         * @param scope the scope to ask for, or {@code null}
         * @return this builder
         * @throws FhirmigException {@code USAGE} when the file cannot be read or is empty
         */
        public Builder clientSecretFile(String tokenUrl, String clientId, Path secretFile, String scope) {
            this.clientCredentials = new Authentication.ClientSecret(
                    Objects.requireNonNull(tokenUrl, "tokenUrl"), Objects.requireNonNull(clientId, "clientId"),
                    Secret.readFile(Objects.requireNonNull(secretFile, "secretFile"),
                            "client secret"), scope);
            return this;
        }

        /**
         * OAuth 2.0 client credentials with a signed JWT assertion (SMART Backend Services): the
         * client's private key, a PEM (PKCS#8 or PKCS#1) or JWKS file, signs RS384 or ES384.
         *
         * @param tokenUrl the token endpoint
         * @param clientId the client's id
         * @param keyFile the private key's file
         * @param keyId the key's {@code kid}, or {@code null} for a JWKS key's own
         * @param scope the scope to ask for, or {@code null}
         * @return this builder
         */
        public Builder clientKey(String tokenUrl, String clientId, Path keyFile, String keyId, String scope) {
            this.clientCredentials = new Authentication.ClientAssertion(
                    Objects.requireNonNull(tokenUrl, "tokenUrl"), Objects.requireNonNull(clientId, "clientId"),
                    Objects.requireNonNull(keyFile, "keyFile"), keyId, scope);
            return this;
        }

        /**
         * A PEM file of CA certificates to trust besides the system's, for a server whose certificate
         * a private CA signed.
         *
         * @param pemFile the certificates
         * @return this builder
         */
        public Builder caFile(Path pemFile) {
            this.caFile = Objects.requireNonNull(pemFile, "pemFile");
            return this;
        }

        /**
         * An extra header sent with every request to the server (not to the token endpoint), e.g. a
         * tenant header; a second one of the same name replaces the first.
         *
         * @param name the header's name (not {@code Authorization})
         * @param value its value, one line
         * @return this builder
         * @throws FhirmigException {@code USAGE} for a bad name or value
         */
        public Builder header(String name, String value) {
            headers.put(name, value, "header");
            return this;
        }

        /**
         * Where the Python tool fhirmig descends from kept its state: the identifier value
         * ({@code http://fhir.migration.system|VALUE}) of its {@code Basic}, the tool's
         * {@code MIGRATION_RESOURCE_ID}. On a namespace with no fhirmig state, runs look for it (see
         * {@link Fhirmig#adopt()}).
         *
         * @param resourceId the value (default: the tool's, {@code e61c4580-2493-417f-a26c-26faa8eb70ba})
         * @return this builder
         */
        public Builder legacyResourceId(String resourceId) {
            this.legacyResourceId = resourceId;
            return this;
        }

        /**
         * Checks the configuration. Nothing is sent to the server and the embedded server is not
         * started until a call needs the server; the scripts are loaded on first use.
         *
         * @return the configured fhirmig; close it to stop an embedded server it started
         * @throws FhirmigException {@code USAGE} for a missing or bad setting
         */
        public Fhirmig load() {
            if (lockWait.isNegative() || lockTtl.isZero() || lockTtl.isNegative()) {
                throw usage("lockWait must be zero or more, and lockTtl more than zero");
            }
            if (!positiveMillis(connectTimeout) || !positiveMillis(readTimeout) || retries < 0) {
                throw usage("connectTimeout and readTimeout must be more than zero (at most 24 days),"
                        + " and retries zero or more");
            }
            RunOptions runOptions = new RunOptions(lockTtl, lockWait, parameters, stepTimeout, progress);
            boolean auth = bearerToken != null || bearerTokenFile != null || basicUser != null || clientCredentials != null;
            boolean security = auth || caFile != null || !headers.asMap().isEmpty();
            Workspace workspace;
            if (client != null) {
                if (url != null) {
                    throw usage("give either a client or a URL, not both");
                }
                if (security) {
                    throw usage("credentials, caFile and headers apply to a URL; configure your own client instead");
                }
                workspace = Workspace.open(client, versions, namespace);
            } else if (runningEmbeddedUrl != null) {
                workspace = Workspace.openRunningEmbedded(connectionTo(runningEmbeddedUrl), versions, namespace);
            } else if (url == null || url.isBlank()) {
                throw usage("no FHIR server configured: call url(\"https://...\"), url(\"embedded\") or client(...)");
            } else if (Workspace.isEmbedded(url)) {
                Workspace.checkNamespace(namespace);
                workspace = Workspace.open(connectionTo(Workspace.EMBEDDED), versions, namespace, embeddedDataDir);
            } else if (fhirContext != null) {
                Workspace.checkR4(fhirContext);
                Workspace.checkNamespace(namespace);
                if (bearerTokenFile != null || clientCredentials != null || caFile != null || !headers.asMap().isEmpty()) {
                    throw usage("with fhirContext, only bearerToken and basicAuth apply; leave fhirContext out for the rest");
                }
                IGenericClient made = fhirContext.newRestfulGenericClient(url.trim());
                if (bearerToken != null) {
                    made.registerInterceptor(new BearerTokenAuthInterceptor(bearerToken));
                }
                if (basicUser != null) {
                    made.registerInterceptor(new BasicAuthInterceptor(basicUser, basicPassword));
                }
                workspace = Workspace.open(made, versions, namespace);
            } else {
                Workspace.checkNamespace(namespace);
                // fhirmig's own connection sends the credentials, so that a refusal names the method.
                workspace = Workspace.open(connectionTo(url.trim()).withSecurity(authentication(), caFile, headers.asMap()),
                        versions, namespace, embeddedDataDir);
            }
            if (cacheDir != null) {
                workspace.caching(ScriptCache.at(cacheDir));
            }
            workspace.legacyResourceId(legacyResourceId);
            Path templatesDir = templates != null ? templates : Path.of("templates");
            return new Fhirmig(workspace, runOptions, templatesDir, templates != null && templatesRequired);
        }

        /** The one way of authenticating configured, if any. */
        private Authentication authentication() {
            List<String> methods = new ArrayList<>();
            if (bearerToken != null || bearerTokenFile != null) {
                methods.add(bearerToken != null && bearerTokenFile != null ? "bearerToken and bearerTokenFile" : "a bearer token");
            }
            if (basicUser != null) {
                methods.add("basicAuth");
            }
            if (clientCredentials != null) {
                methods.add("client credentials");
            }
            if (methods.size() > 1 || bearerToken != null && bearerTokenFile != null) {
                throw usage("more than one way to authenticate is configured: " + String.join(", ", methods) + "; keep one");
            }
            if (bearerToken != null) {
                return new Authentication.BearerToken(Secret.of(bearerToken));
            }
            if (bearerTokenFile != null) {
                return new Authentication.BearerToken(
                        Secret.readFile(bearerTokenFile, "token"));
            }
            if (basicUser != null) {
                return new Authentication.Basic(basicUser,
                        Secret.of(basicPassword == null ? "" : basicPassword));
            }
            return clientCredentials != null ? clientCredentials : new Authentication.None();
        }

        private ConnectionOptions connectionTo(String url) {
            return ConnectionOptions.of(url).withTimeouts(connectTimeout, readTimeout)
                    .withRetries(retries);
        }

        // HttpClient takes its timeouts as an int of milliseconds.
        private static boolean positiveMillis(Duration d) {
            return !d.isNegative() && !d.isZero() && d.toMillis() <= Integer.MAX_VALUE;
        }
    }

    /**
     * Applies every migration not applied yet, up to the head.
     *
     * @return what ran, how long it took and the new head
     * @throws FhirmigException {@code MIGRATION_FAILED} when a migration throws (the head stays on
     *     the last one that succeeded), {@code INVALID_MIGRATIONS}, {@code SERVER}, {@code CONCURRENT},
     *     {@code USAGE} (e.g. several heads: use {@code upgrade("heads")})
     */
    public MigrationResult upgrade() {
        return upgrade("head");
    }

    /**
     * Applies the migrations up to a target.
     *
     * @param target {@code head}, {@code heads}, a revision or unique prefix, or {@code +N}
     * @return what ran, how long it took and the new head
     * @throws FhirmigException as {@link #upgrade()}
     */
    public MigrationResult upgrade(String target) {
        return run(Direction.UPGRADE, target);
    }

    /**
     * Reverts the last applied migration (one step, as the original tool did).
     *
     * @return what ran, how long it took and the new head
     * @throws FhirmigException as {@link #upgrade()}
     */
    public MigrationResult downgrade() {
        return downgrade("-1");
    }

    /**
     * Reverts applied migrations down to a target, which stays applied.
     *
     * @param target {@code -N}, a revision or unique prefix, or {@code base} (revert everything)
     * @return what ran, how long it took and the new head
     * @throws FhirmigException as {@link #upgrade()}
     */
    public MigrationResult downgrade(String target) {
        return run(Direction.DOWNGRADE, target);
    }

    private MigrationResult run(Direction direction, String target) {
        Target parsed = parseTarget(target);
        long started = System.nanoTime();
        RunResult result = direction == Direction.UPGRADE
                ? workspace.migrator(options).upgrade(parsed, false)
                : workspace.migrator(options).downgrade(parsed, false);
        return new MigrationResult(result.steps(), result.headsBefore(), result.headsAfter(), since(started));
    }

    /**
     * What {@link #upgrade(String)} or {@link #downgrade(String)} to a target would run, worked out
     * from the scripts and the server's state without running anything or taking the lock.
     *
     * @param direction upgrade or downgrade
     * @param target the target, as those methods take it
     * @return the steps, in order, and the heads before and after
     * @throws FhirmigException {@code USAGE} for a bad target, {@code INVALID_MIGRATIONS}, {@code SERVER}
     */
    public MigrationPlan plan(Direction direction, String target) {
        return new Queries(workspace).plan(Objects.requireNonNull(direction, "direction"), parseTarget(target), options);
    }

    /**
     * Runs what {@link #upgrade(String)} or {@link #downgrade(String)} to a target would run, with every
     * write held back: the scripts read the server, and their writes (through {@code fhir},
     * {@code migration.*} and bulk operations) are recorded and answered as the server would have
     * answered them. Scripts see {@code migration.dryRun} true. No lock is taken and nothing is
     * recorded; a script that reads its own writes sees the server as it was.
     *
     * @param direction upgrade or downgrade
     * @param target the target, as those methods take it
     * @return each step with the writes it would make (and, for updates, the values they change)
     * @throws FhirmigException {@code MIGRATION_FAILED} when a script throws, or makes a request whose
     *     answer a dry run cannot know (an operation that changes data); otherwise as {@link #plan}
     */
    public DryRunReport dryRun(Direction direction, String target) {
        return workspace.migrator(options).dryRun(Objects.requireNonNull(direction, "direction"), parseTarget(target));
    }

    /**
     * Marks a target as applied without running any migration, e.g. to adopt a server migrated by
     * other means; {@code stamp("base")} forgets everything (the original tool's {@code reset}).
     *
     * @param target {@code head}, {@code heads}, {@code base} or a revision
     * @return the heads before and after (no steps)
     * @throws FhirmigException {@code USAGE} for a relative or unknown target, {@code SERVER},
     *     {@code CONCURRENT}
     */
    public MigrationResult stamp(String target) {
        Target parsed = parseTarget(target);
        long started = System.nanoTime();
        Maintenance.StampResult result = workspace.maintenance(options).stamp(parsed);
        return new MigrationResult(List.of(), result.headsBefore(), result.headsAfter(), since(started));
    }

    /**
     * Takes over the state of the Python tool fhirmig descends from, on a server that tool migrated:
     * records the revision the tool recorded, and every ancestor of it, as applied (each record marked
     * adopted, with the tool's resource id and its lastUpdated), in transactions of at most 200
     * records, without running anything. The tool's resource is left as it is. Until then, on a
     * namespace with no fhirmig state, upgrade, downgrade and stamp refuse ({@code SERVER}) and
     * {@link #current()} shows the tool's revision. Adopting again what is adopted does nothing;
     * adopting again after an adoption stopped between its transactions writes the records it did not.
     *
     * @return what was recorded
     * @throws FhirmigException {@code USAGE} when the server has no tool resource (see
     *     {@link Builder#legacyResourceId(String)}) or the namespace has a fhirmig state of its own;
     *     {@code SERVER} when the tool's resource records no revision; {@code INVALID_MIGRATIONS} when
     *     no script declares the tool's revision; {@code CONCURRENT}
     */
    public AdoptResult adopt() {
        return adopt(false);
    }

    /**
     * As {@link #adopt()}; a dry run only says what would be recorded.
     *
     * @param dryRun change nothing
     * @return what was (or would be) recorded
     * @throws FhirmigException as {@link #adopt()}
     */
    public AdoptResult adopt(boolean dryRun) {
        return workspace.maintenance(options).adopt(dryRun);
    }

    /**
     * Makes the applied records match the heads: accepts the current text of edited applied scripts
     * (their records take the new checksums), forgets records of revisions that are not applied, and
     * writes the missing records of revisions that are. Runs no script.
     *
     * @return what changed
     * @throws FhirmigException {@code INVALID_MIGRATIONS}, {@code SERVER}, {@code CONCURRENT}
     */
    public RepairResult repair() {
        return workspace.maintenance(options).repair();
    }

    /**
     * Clears the namespace's lock, whoever holds it: for a run that died. Make sure it is really gone:
     * a live run that loses its lock stops at its next request.
     *
     * @return the lock cleared, or empty when the namespace was not locked
     * @throws FhirmigException {@code SERVER}
     */
    public Optional<CurrentState.Lock> unlock() {
        return Optional.ofNullable(Results.lock(workspace.maintenance(options).unlock()));
    }

    /**
     * What is applied in this namespace, what is pending, and the lock.
     *
     * @return the current state
     * @throws FhirmigException {@code INVALID_MIGRATIONS}, {@code SERVER}
     */
    public CurrentState current() {
        return new Queries(workspace).current();
    }

    /**
     * The applied migrations, oldest first, with who applied them, when and how long they took; then
     * the pending ones, in the order an upgrade would apply them.
     *
     * @return the history
     * @throws FhirmigException {@code INVALID_MIGRATIONS}, {@code SERVER}
     */
    public History history() {
        return new Queries(workspace).history();
    }

    /**
     * Every migration with its state, as Flyway's {@code info} shows them: applied, pending, edited
     * since it was applied (its file's checksum differs from the one recorded), or missing (applied on
     * the server, but no script declares it any more). The applied ones come in the order they were
     * applied, with who applied them, when, how long they took and the checksum recorded; then the
     * pending ones, in the order an upgrade would apply them. A state that runs refuse (an applied
     * head whose file was deleted, records that contradict the heads) is shown with a warning rather
     * than refused.
     *
     * @return the status view
     * @throws FhirmigException {@code INVALID_MIGRATIONS} when the scripts or their graph are invalid,
     *     {@code SERVER}
     */
    public StatusView status() {
        return new Queries(workspace).status();
    }

    /**
     * The heads of the revision graph, each applied or pending. Several heads are a branch.
     *
     * @return the heads
     * @throws FhirmigException {@code INVALID_MIGRATIONS}, {@code SERVER}
     */
    public List<Head> heads() {
        return new Queries(workspace).heads();
    }

    /**
     * One revision: its script, parents, children and checksum, and when it was applied.
     *
     * @param revision a revision id or unique prefix
     * @return the revision
     * @throws FhirmigException {@code USAGE} for an unknown or ambiguous revision,
     *     {@code INVALID_MIGRATIONS}, {@code SERVER}
     */
    public RevisionInfo show(String revision) {
        return new Queries(workspace).show(Objects.requireNonNull(revision, "revision"));
    }

    /**
     * Checks the scripts and the graph, then that the server is reachable, that no applied script
     * was edited, and that the namespace is not locked. It reports problems rather than throwing them.
     *
     * @return every check's answer
     */
    public CheckResult check() {
        return check(false);
    }

    /**
     * As {@link #check()}; offline, only the scripts and the graph are checked.
     *
     * @param offline do not contact the server
     * @return every check's answer
     */
    public CheckResult check(boolean offline) {
        List<CheckResult.Check> items = new ArrayList<>();
        MigrationSet migrations = Checks.migrations(workspace::migrations, items);
        if (migrations != null && !offline) {
            try {
                Checks.server(migrations, workspace.store(), workspace.serverName(), items);
            } catch (FhirmigException e) {
                items.add(Checks.failed("server", e));
            }
        }
        return new CheckResult(items);
    }

    /**
     * Verifies every migration on a fresh in-memory embedded server, never on the configured one: see
     * {@link #verify(VerifyOptions)}.
     *
     * @return each migration's checks
     * @throws FhirmigException as {@link #verify(VerifyOptions)}
     */
    public VerifyReport verify() {
        return verify(VerifyOptions.defaults());
    }

    /**
     * Proves that migrations are idempotent, reversible and repeatable: on a scratch server loaded
     * with the fixtures, for each migration in upgrade order, {@code upgrade()} twice (the second
     * must change nothing), {@code downgrade()} (the data must be as before the first upgrade), and
     * {@code upgrade()} again (the data must be as after the first). The live resources of every type
     * are compared, fhirmig's state excepted, ignoring {@code meta.versionId}, {@code meta.lastUpdated}
     * and ids the server assigned. The scratch server is a fresh in-memory embedded server, started
     * and stopped here, unless the options name the configured server as disposable. Scripts see this
     * instance's namespace and parameters; no state is recorded.
     *
     * @param options which migrations, which fixtures, which server, who is told of the progress
     * @return each migration's checks, with the first differences of each check that failed
     * @throws FhirmigException {@code INVALID_MIGRATIONS}; {@code USAGE} for a bad range or fixture;
     *     {@code SERVER} when the scratch server cannot be started or used; {@code MIGRATION_FAILED}
     *     when a migration below the range fails
     */
    public VerifyReport verify(VerifyOptions options) {
        long started = System.nanoTime();
        MigrationSet migrations = workspace.migrations();
        if (options.onConfiguredServer()) {
            return new Verifier(migrations, workspace.connection(), workspace.compiler(), workspace.namespace(),
                    this.options.parameters()).verify(options.range(), options.fixtures(), options.listener(),
                    workspace.serverName(), started);
        }
        try (Workspace scratch = Workspace.open(Workspace.EMBEDDED, workspace.versions(), workspace.namespace(), null)) {
            return new Verifier(migrations, scratch.connection(), workspace.compiler(), workspace.namespace(),
                    this.options.parameters()).verify(options.range(), options.fixtures(), options.listener(),
                    "embedded (in memory)", started);
        }
    }

    /**
     * Writes a new migration script {@code NNNN_NAME.groovy} into the versions folder from the
     * template, with a new revision id and the head applied on the server as its parent.
     *
     * @param name letters, digits and {@code _}, e.g. {@code add_patient_flag}
     * @return the script written
     * @throws FhirmigException {@code USAGE} for a bad or used name, or while the server has a
     *     migration that is not applied yet (upgrade first); {@code SERVER}
     */
    public GeneratedScript generate(String name) {
        return generate(name, null);
    }

    /**
     * Writes a new migration script, as {@link #generate(String)}, with a description.
     *
     * @param name letters, digits and {@code _}, e.g. {@code add_patient_flag}
     * @param message what the migration does; its description (null: the name with spaces)
     * @return the script written
     * @throws FhirmigException as {@link #generate(String)}
     */
    public GeneratedScript generate(String name, String message) {
        return generate(name, message, null, false);
    }

    /**
     * Writes a new migration script, as {@link #generate(String)}.
     *
     * @param name letters, digits and {@code _}, e.g. {@code add_patient_flag}
     * @param message what the migration does; its description (null: the name with spaces)
     * @param revisionId its revision id (letters, digits, {@code _}, {@code -}), or null for a new random one
     * @param offline do not ask the server: follow the graph's single head
     * @return the script written
     * @throws FhirmigException as {@link #generate(String)}; {@code USAGE} for a used or bad revision id
     */
    public GeneratedScript generate(String name, String message, String revisionId, boolean offline) {
        return newScripts().generate(name, message, revisionId, offline);
    }

    /**
     * Writes a merge migration whose downRevision lists heads of the graph, joining them into one head.
     * Its {@code upgrade()} and {@code downgrade()} are empty. Works on the files only.
     *
     * @param revisions the heads to merge (ids or unique prefixes); empty for every head
     * @param message what the merge is for (null: "merge" and the heads' ids)
     * @return the script written
     * @throws FhirmigException {@code USAGE} when fewer than two heads are given or one is not a head
     */
    public GeneratedScript merge(List<String> revisions, String message) {
        return newScripts().merge(List.copyOf(revisions), message);
    }

    /**
     * Makes a new project: a versions folder, a templates folder with the default template, and a
     * commented {@code fhirmig.properties}; adds {@code .fhirmig/} to a {@code .gitignore} there.
     *
     * @param dir the project folder, created if missing
     * @return what was created
     * @throws FhirmigException {@code USAGE} when any of them exists already (nothing is written)
     */
    public static InitResult init(Path dir) {
        ProjectInit.Result result = ProjectInit.init(dir);
        return new InitResult(result.created(), result.updated());
    }

    /**
     * Starts reading the migrations and reads the namespace's state now, so that the next question
     * ({@link #current()}, {@link #history()}, {@link #status()}, {@link #heads()}, {@link #show(String)}) is answered
     * at once: for a caller that can do this on another thread while it gets ready.
     *
     * @throws FhirmigException {@code SERVER} when the server cannot be reached
     */
    public void prefetch() {
        workspace.loadInBackground();
        workspace.readStateAhead();
    }

    /**
     * Stops the runs in progress in this process at once, for a process asked to exit: each releases
     * its lock and records its last completed step, and its caller gets a {@code CONCURRENT} error
     * naming what the stopped step may have written.
     *
     * @param reason why, for the error and the audit log
     * @return the runs stopped; empty when none was in progress
     */
    public static List<StoppedRun> stopRunsInProgress(String reason) {
        return ActiveRuns.stopAll(reason);
    }

    /** Stops the embedded server, if this instance started one; a client passed in is left open. */
    @Override
    public void close() {
        workspace.close();
    }

    private NewScripts newScripts() {
        return new NewScripts(workspace, templates, templatesConfigured);
    }

    private static Target parseTarget(String target) {
        if (target == null) {
            throw usage("the target is null: give head, heads, base, a revision, +N or -N");
        }
        return Target.parse(target);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
