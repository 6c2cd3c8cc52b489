package io.fhirmig.cli;

import io.fhirmig.startup.LazyLoggerContext;
import io.fhirmig.startup.LazyLoggerContextFactory;
import io.fhirmig.startup.WarmUp;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The top command. Its options are inherited by every subcommand, so they may stand before or after
 * the command name ({@code fhirmig -v upgrade} and {@code fhirmig upgrade -v} are the same).
 */
public final class FhirmigCommand {

    String url;
    Path versions;
    String namespace;
    Path templates;
    Path config;
    Path tokenFile;
    Path caFile;
    List<String> headers;
    String connectTimeout;
    String readTimeout;

    /** The environment that settings are read from; the tests give their own. */
    java.util.Map<String, String> environment = System.getenv();

    /** Where to ask the user a question; the tests give their own. */
    Terminal terminal = Terminal.system();

    /** The folder the command runs in, where the project is looked for; the tests give their own. */
    Path workingDir = Path.of("");

    private boolean verbose;
    private boolean quiet;

    /** {@return the top command's model: its options (which every command inherits) and help} */
    CommandSpec model() {
        CommandModel model = CommandModel.of(this, "fhirmig",
                "Versioned, reversible data migrations for FHIR servers.",
                "",
                "Migrations are Groovy scripts in the versions folder; the applied head is kept on the FHIR"
                        + " server itself. With no server configured, fhirmig uses an embedded HAPI FHIR"
                        + " server whose data lives in .fhirmig/server, started once in the background (see"
                        + " `fhirmig serve --status` and `--stop`).")
                .inherited("--url", "URL", String.class,
                        "FHIR base URL, or 'embedded' for the embedded server (the default).",
                        () -> url, v -> url = v)
                .inherited("--versions", "DIR", Path.class, "Folder of the migration scripts (default: versions).",
                        () -> versions, v -> versions = v)
                .inherited("--namespace", "NAME", String.class,
                        "Keeps this application's migrations apart from others on the same server"
                                + " (default: default).",
                        () -> namespace, v -> namespace = v)
                .inherited("--templates", "DIR", Path.class,
                        "Folder of migration.groovy.template for generate and merge (default: templates,"
                                + " else the built-in template).",
                        () -> templates, v -> templates = v)
                .inherited("--config", "FILE", Path.class,
                        "Settings file to read instead of the project's fhirmig.properties (the nearest in this"
                                + " folder or above; also FHIRMIG_CONFIG). Its folder is the project's root.",
                        () -> config, v -> config = v)
                .inherited("--token-file", "FILE", Path.class,
                        "File holding a bearer token for the server (instead of FHIRMIG_TOKEN).",
                        () -> tokenFile, v -> tokenFile = v)
                .inherited("--ca-file", "FILE", Path.class,
                        "PEM file of the CA certificate(s) to trust besides the system's, for a server"
                                + " with a certificate from a private CA.",
                        () -> caFile, v -> caFile = v)
                .inherited("--connect-timeout", "DURATION", String.class,
                        "How long to wait for a connection to the server, e.g. 10s (the default).",
                        () -> connectTimeout, v -> connectTimeout = v)
                .inherited("--read-timeout", "DURATION", String.class,
                        "How long to wait for the server's answer to a request, e.g. 5m (the default).",
                        () -> readTimeout, v -> readTimeout = v)
                .repeatable(new String[] {"--header"}, "'NAME: VALUE'", List.class, new Class<?>[] {String.class},
                        true, "Extra header for every request to the server, e.g. a tenant header (repeatable).",
                        () -> headers, v -> headers = v)
                .inheritedSwitch(new String[] {"-v", "--verbose"},
                        "Show debug output, including stack traces of errors.", () -> verbose, this::setVerbose)
                .inheritedSwitch(new String[] {"-q", "--quiet"}, "Show warnings and errors only.",
                        () -> quiet, this::setQuiet);
        CommandSpec spec = model.withHelp();
        spec.usageMessage()
                .sortOptions(false)
                .autoWidth(true)
                .footerHeading("%nSettings%n")
                .footer(
                        "Strongest first: option, environment, fhirmig.properties (the nearest in this folder or"
                                + " above, or --config FILE), default.",
                        "  url             --url              FHIRMIG_URL, FHIR_URL",
                        "  versions        --versions         FHIRMIG_VERSIONS, MIGRATION_SCRIPTS_DIR",
                        "  namespace       --namespace        FHIRMIG_NAMESPACE",
                        "  templates       --templates        FHIRMIG_TEMPLATES",
                        "  cache                              FHIRMIG_CACHE (a folder, or off)",
                        "  connectTimeout  --connect-timeout  FHIRMIG_CONNECT_TIMEOUT",
                        "  readTimeout     --read-timeout     FHIRMIG_READ_TIMEOUT",
                        "  embeddedIdle                       FHIRMIG_EMBEDDED_IDLE (a duration, or off)",
                        "Defaults: url embedded, versions versions, namespace default, templates",
                        "templates, cache .fhirmig/cache, connectTimeout 10s, readTimeout 5m,",
                        "embeddedIdle 30m (how long the background embedded server runs on idle).",
                        "Durations: 500ms, 30s, 5m, 1h. Reads, conditional and versioned writes are",
                        "retried (3 times) after 429/502/503/504, a broken connection or a timeout.",
                        "",
                        "Connecting securely (secrets from the environment or files, never the",
                        "settings file; see docs/configuration.md):",
                        "  bearer token   FHIRMIG_TOKEN, --token-file FILE, tokenFile",
                        "  basic          FHIRMIG_USER (user), FHIRMIG_PASSWORD (passwordFile)",
                        "  OAuth client   FHIRMIG_TOKEN_URL, FHIRMIG_CLIENT_ID, FHIRMIG_SCOPE",
                        "  credentials    (tokenUrl, clientId, scope) with FHIRMIG_CLIENT_SECRET",
                        "                 (clientSecretFile) or a JWT signed with FHIRMIG_CLIENT_KEY",
                        "                 (clientKey: PEM or JWKS, RS384/ES384; FHIRMIG_CLIENT_KEY_ID)",
                        "  private CA     --ca-file FILE, FHIRMIG_CA_FILE, caFile",
                        "  extra headers  --header, FHIRMIG_HEADERS (one a line), header.NAME=VALUE",
                        "",
                        "Exit codes",
                        "  0 done or nothing to do    1 a migration failed    2 bad usage",
                        "  3 invalid migrations       4 the FHIR server could not be used",
                        "  5 locked by another run, or the state changed under this run",
                        "  130, 143 stopped by SIGINT, SIGTERM (the steps that succeeded are kept,",
                        "           the lock is released)");
        return spec;
    }

    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        applyLogLevel();
    }

    void setQuiet(boolean quiet) {
        this.quiet = quiet;
        applyLogLevel();
    }

    private void applyLogLevel() {
        Level level = verbose ? Level.DEBUG : quiet ? Level.WARN : Level.INFO;
        WarmUp.setLevels(() -> {
            setLevel("io.fhirmig", level);
            setLevel("fhirmig", level);
        });
    }

    private static void setLevel(String logger, Level level) {
        if (LazyLoggerContextFactory.installed()) {
            LazyLoggerContext.INSTANCE.setLevel(logger, level);
        } else if (LogManager.getContext(false) instanceof LazyLoggerContext lazy) {
            lazy.setLevel(logger, level);
        } else {
            Configurator.setLevel(logger, level);
        }
    }

    /** Whether -v asked for debug output. */
    boolean verbose() {
        return verbose;
    }

    /** The settings of this run, resolved from options, environment, file and defaults. */
    Settings settings() {
        return new SettingsResolver(environment, workingDir).resolve(this);
    }
}
