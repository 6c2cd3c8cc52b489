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
                legacyResourceId.isEmpty() ? LegacyToolState.DEFAULT_RESOURCE_ID : legacyResourceId,
                embeddedIdle(sources));
    }

    /** The background embedded server's idle limit: a duration, or 0/off for none (zero). */
    private static Duration embeddedIdle(SettingSources sources) {
        String value = sources.pick(null, List.of("FHIRMIG_EMBEDDED_IDLE"), "embeddedIdle", null);
        if (value == null) {
            return Settings.DEFAULT_EMBEDDED_IDLE;
        }
        String trimmed = value.trim();
        if (trimmed.equals("0") || trimmed.equalsIgnoreCase(CACHE_OFF)) {
            return Duration.ZERO;
        }
        return Durations.parse(trimmed, "embeddedIdle (FHIRMIG_EMBEDDED_IDLE, embeddedIdle=; 0 or off for no"
                + " background server)");
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
        warnUnknownKeys(file, properties);
        return properties;
    }

    /** The keys the settings file may set (besides {@code header.NAME}). */
    static final java.util.Set<String> KNOWN_KEYS = new java.util.TreeSet<>(List.of("url", "versions", "namespace",
            "templates", "cache", "caFile", "user", "tokenFile", "passwordFile", "tokenUrl", "clientId",
            "clientSecretFile", "clientKey", "clientKeyId", "scope", "connectTimeout", "readTimeout", "stepTimeout",
            "embeddedIdle"));
    /** Keys refused with an error of their own (secrets never come from this file). */
    private static final java.util.Set<String> SECRET_KEYS = java.util.Set.of("token", "password", "clientSecret");
    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A key fhirmig does not read (a typo such as {@code client_secret=}) is named in a warning, once:
     * ignored silently, it would leave a setting the user believes made at its default.
     */
    private static void warnUnknownKeys(Path file, Properties properties) {
        for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            if (KNOWN_KEYS.contains(key) || SECRET_KEYS.contains(key) || key.startsWith("header.")
                    || !WARNED.add(file.toAbsolutePath() + "\n" + key)) {
                continue;
            }
            String near = null;
            int best = 3;
            for (String known : KNOWN_KEYS) {
                int distance = distance(simple(known), simple(key));
                if (distance < best) {
                    best = distance;
                    near = known;
                }
            }
            if (near == null && SECRET_KEYS.stream().anyMatch(secret -> simple(secret).equals(simple(key)))) {
                near = "no key: secrets are never read from this file; use the environment or a file of their own";
            }
            WarmUp.awaitLogging();
            org.apache.logging.log4j.LogManager.getLogger(SettingsResolver.class).warn(
                    "{}: unknown key '{}', ignored ({}the keys are {} and header.NAME)", file,
                    io.fhirmig.util.ServerText.clean(key, 80),
                    near == null ? "" : near.contains(" ") ? near + "; " : "did you mean " + near + "? ",
                    String.join(", ", KNOWN_KEYS));
        }
    }

    /** Edit distance (Levenshtein): a key a typo or two away from a known one is likely meant as it. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String simple(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }
}
