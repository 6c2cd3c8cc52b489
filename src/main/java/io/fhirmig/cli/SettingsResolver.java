package io.fhirmig.cli;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.ConnectionOptions;
import io.fhirmig.run.Workspace;
import io.fhirmig.state.LegacyToolState;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves each setting from, strongest first: the command-line option, the environment,
 * {@code fhirmig.properties} (or {@code --config FILE}), the default.
 */
final class SettingsResolver {

    static final String PROPERTIES_FILE = "fhirmig.properties";
    static final String DEFAULT_TEMPLATES = "templates";
    static final String DEFAULT_CACHE = ".fhirmig/cache";
    static final String CACHE_OFF = "off";

    private final Map<String, String> environment;
    private final Path workingDir;

    SettingsResolver(Map<String, String> environment, Path workingDir) {
        this.environment = environment;
        this.workingDir = workingDir;
    }

    Settings resolve(FhirmigCommand options) {
        SettingSources sources = new SettingSources(environment, readProperties(options.config));
        String url = sources.pick(options.url, List.of("FHIRMIG_URL", "FHIR_URL"), "url", Settings.EMBEDDED);
        String versions = sources.pick(options.versions == null ? null : options.versions.toString(),
                List.of("FHIRMIG_VERSIONS", "MIGRATION_SCRIPTS_DIR"), "versions", "versions");
        String namespace = sources.pick(options.namespace, List.of("FHIRMIG_NAMESPACE"), "namespace", "default");
        Workspace.checkNamespace(namespace);
        String templates = sources.pick(options.templates == null ? null : options.templates.toString(),
                List.of("FHIRMIG_TEMPLATES"), "templates", null);
        String cache = sources.pick(null, List.of("FHIRMIG_CACHE"), "cache", DEFAULT_CACHE).trim();
        ConnectionSecurity security = new ConnectionSecurityResolver(sources, workingDir).resolve(options);
        Duration connectTimeout = duration(sources, options.connectTimeout, "connectTimeout", "--connect-timeout",
                "FHIRMIG_CONNECT_TIMEOUT", ConnectionOptions.DEFAULT_CONNECT_TIMEOUT);
        Duration readTimeout = duration(sources, options.readTimeout, "readTimeout", "--read-timeout",
                "FHIRMIG_READ_TIMEOUT", ConnectionOptions.DEFAULT_READ_TIMEOUT);
        // The Python tool's own setting, so that a team switching over keeps its environment.
        String legacyResourceId = sources.pick(null, List.of("MIGRATION_RESOURCE_ID"), "legacyResourceId",
                LegacyToolState.DEFAULT_RESOURCE_ID).trim();
        return new Settings(url.trim(), workingDir.resolve(versions), namespace,
                workingDir.resolve(templates == null ? DEFAULT_TEMPLATES : templates), templates != null, security,
                CACHE_OFF.equalsIgnoreCase(cache) ? null : workingDir.resolve(cache), connectTimeout, readTimeout,
                legacyResourceId.isEmpty() ? LegacyToolState.DEFAULT_RESOURCE_ID : legacyResourceId);
    }

    /**
     * The step timeout of upgrade and downgrade: an option of theirs, not a global one.
     *
     * @param option the value of {@code --step-timeout}, or null
     * @return the limit, or null for none
     */
    Duration stepTimeout(FhirmigCommand options, String option) {
        SettingSources sources = new SettingSources(environment, readProperties(options.config));
        return duration(sources, option, "stepTimeout", "--step-timeout", "FHIRMIG_STEP_TIMEOUT", null);
    }

    private static Duration duration(SettingSources sources, String option, String key, String optionName,
            String envName, Duration fallback) {
        String value = sources.pick(option, List.of(envName), key, null);
        return value == null ? fallback
                : Durations.parse(value, key + " (" + optionName + ", " + envName + ", " + key + "=)");
    }

    private Properties readProperties(Path explicit) {
        Path file = explicit != null ? workingDir.resolve(explicit) : workingDir.resolve(PROPERTIES_FILE);
        Properties properties = new Properties();
        if (!Files.exists(file)) {
            if (explicit != null) {
                throw new FhirmigException(FhirmigException.Kind.USAGE,
                        "settings file " + explicit + " does not exist");
            }
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new FhirmigException(FhirmigException.Kind.USAGE,
                    "cannot read settings file " + file + ": " + e.getMessage());
        }
        return properties;
    }
}
