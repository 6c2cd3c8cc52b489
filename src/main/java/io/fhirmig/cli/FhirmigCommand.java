package io.fhirmig.cli;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top command. Its options are inherited by every subcommand, so they may stand before or after
 * the command name ({@code fhirmig -v upgrade} and {@code fhirmig upgrade -v} are the same).
 */
@Command(
        name = "fhirmig",
        // The commands are classes (Commands); looking for command methods reads every method's annotations.
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Versioned, reversible data migrations for FHIR servers.",
            "",
            "Migrations are Groovy scripts in the versions folder; the applied head is kept on the FHIR"
                    + " server itself. With no server configured, fhirmig uses an embedded HAPI FHIR"
                    + " server whose data lives in .fhirmig/server."
        },
        footerHeading = "%nSettings%n",
        footer = {
            "Strongest first: option, environment, fhirmig.properties (or --config FILE), default.",
            "  url        --url        FHIRMIG_URL, FHIR_URL                  embedded",
            "  versions   --versions   FHIRMIG_VERSIONS, MIGRATION_SCRIPTS_DIR  versions",
            "  namespace  --namespace  FHIRMIG_NAMESPACE                      default",
            "  templates  --templates  FHIRMIG_TEMPLATES                      templates",
            "  cache                   FHIRMIG_CACHE (a folder, or off)       .fhirmig/cache",
            "",
            "Connecting securely (secrets from the environment or files, never the",
            "settings file; see the README):",
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
            "  5 locked by another run, or the state changed under this run"
        })
public final class FhirmigCommand {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "FHIR base URL, or 'embedded' for the in-process server (the default).")
    String url;

    @Option(names = "--versions", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Folder of the migration scripts (default: versions).")
    Path versions;

    @Option(names = "--namespace", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Keeps this application's migrations apart from others on the same server"
                    + " (default: default).")
    String namespace;

    @Option(names = "--templates", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Folder of migration.groovy.template for generate and merge (default: templates,"
                    + " else the built-in template).")
    Path templates;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Settings file to read instead of ./fhirmig.properties.")
    Path config;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "File holding a bearer token for the server (instead of FHIRMIG_TOKEN).")
    Path tokenFile;

    @Option(names = "--ca-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "PEM file of the CA certificate(s) to trust besides the system's, for a server"
                    + " with a certificate from a private CA.")
    Path caFile;

    @Option(names = "--header", scope = ScopeType.INHERIT, paramLabel = "'NAME: VALUE'",
            description = "Extra header for every request to the server, e.g. a tenant header (repeatable).")
    java.util.List<String> headers;

    /** The environment that settings are read from; the tests give their own. */
    java.util.Map<String, String> environment = System.getenv();

    private boolean verbose;
    private boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show debug output, including stack traces of errors.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        applyLogLevel();
    }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Show warnings and errors only.")
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
        return new SettingsResolver(environment, Path.of("")).resolve(this);
    }
}
