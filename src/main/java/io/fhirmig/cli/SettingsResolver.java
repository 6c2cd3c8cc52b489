package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.ServerText;
import io.fhirmig.startup.WarmUp;
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
 * {@code fhirmig.properties} (or {@code --config FILE}), the default. The settings file is the
 * project's ({@link ProjectRoot}); a relative path resolves against the working folder when it was
 * typed as an option, and against the project's root when it comes from the environment, the file
 * or a default.
 */
final class SettingsResolver {

    static final String PROPERTIES_FILE = ProjectRoot.FILE_NAME;
    static final String DEFAULT_TEMPLATES = "templates";
    static final String DEFAULT_CACHE = ".fhirmig/cache";
    static final String DEFAULT_FIXTURES = "fixtures";
    static final String CACHE_OFF = "off";

    private final Map<String, String> environment;
    private final Path workingDir;

    SettingsResolver(Map<String, String> environment, Path workingDir) {
        this.environment = environment;
        this.workingDir = workingDir;
    }

    Settings resolve(FhirmigCommand options) {
        ProjectRoot project = project(options);
        Path root = project.shown();
        SettingSources sources = new SettingSources(environment, readProperties(project));
        String url = sources.pick(options.url, List.of("FHIRMIG_URL", "FHIR_URL"), "url", null);
        boolean urlChosen = url != null && !url.isBlank();
        if (!urlChosen) {
            url = Settings.EMBEDDED;
        }
        Path versions = path(sources, options.versions, List.of("FHIRMIG_VERSIONS", "MIGRATION_SCRIPTS_DIR"),
                "versions", "versions", root);
        String namespace = sources.pick(options.namespace, List.of("FHIRMIG_NAMESPACE"), "namespace", "default");
        // The namespace is checked by the library, when the settings reach its builder.
        Path templates = path(sources, options.templates, List.of("FHIRMIG_TEMPLATES"), "templates", null, root);
        String cache = sources.pick(null, List.of("FHIRMIG_CACHE"), "cache", DEFAULT_CACHE).trim();
        ConnectionSecurity security = new ConnectionSecurityResolver(sources, workingDir, root).resolve(options);
        Duration connectTimeout = duration(sources, options.connectTimeout, "connectTimeout", "--connect-timeout",
                "FHIRMIG_CONNECT_TIMEOUT", Fhirmig.DEFAULT_CONNECT_TIMEOUT);
        Duration readTimeout = duration(sources, options.readTimeout, "readTimeout", "--read-timeout",
                "FHIRMIG_READ_TIMEOUT", Fhirmig.DEFAULT_READ_TIMEOUT);
        // The Python tool's own setting, so that a team switching over keeps its environment.
        String legacyResourceId = sources.pick(null, List.of("MIGRATION_RESOURCE_ID"), "legacyResourceId",
                Fhirmig.DEFAULT_LEGACY_RESOURCE_ID).trim();
        return new Settings(url.trim(), versions, namespace,
                templates == null ? root.resolve(DEFAULT_TEMPLATES) : templates, templates != null, security,
                CACHE_OFF.equalsIgnoreCase(cache) ? null : root.resolve(cache), connectTimeout, readTimeout,
                legacyResourceId.isEmpty() ? Fhirmig.DEFAULT_LEGACY_RESOURCE_ID : legacyResourceId,
                project.root(), root.resolve(EmbeddedEndpoint.DATA_DIR), project.found(), urlChosen,
                embeddedIdle(sources));
    }

    /** The project: found upwards from the working folder, or named by --config or FHIRMIG_CONFIG. */
    ProjectRoot project(FhirmigCommand options) {
        if (options.config != null) {
            return ProjectRoot.find(workingDir, options.config, null);
        }
        String named = environment.get("FHIRMIG_CONFIG");
        if (named != null && !named.isBlank()) {
            return ProjectRoot.find(workingDir, Path.of(named.trim()), "FHIRMIG_CONFIG");
        }
        return ProjectRoot.find(workingDir, null, null);
    }

    /**
     * A folder setting: typed as an option, relative to the working folder (as the shell completed
     * it); from the environment, the file or the default, relative to the project's root.
     */
    private Path path(SettingSources sources, Path option, List<String> envNames, String key, String fallback,
            Path root) {
        if (option != null && !option.toString().isBlank()) {
            return workingDir.resolve(option);
        }
        String value = sources.pick(null, envNames, key, fallback);
        return value == null ? null : root.resolve(value.trim());
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
        SettingSources sources = new SettingSources(environment, readProperties(project(options)));
        return duration(sources, option, "stepTimeout", "--step-timeout", "FHIRMIG_STEP_TIMEOUT", null);
    }

    /**
     * The fixtures folder of verify: an option of its own, not a global one.
     *
     * @param option the value of {@code --fixtures}, or null
     * @return the folder set (option, {@code FHIRMIG_FIXTURES}, {@code fixtures=}), which must exist; else
     *     {@code fixtures} of the project's root when it exists; else null
     */
    Path fixtures(FhirmigCommand options, Path option) {
        ProjectRoot project = project(options);
        SettingSources sources = new SettingSources(environment, readProperties(project));
        Path value = path(sources, option, List.of("FHIRMIG_FIXTURES"), "fixtures", null, project.shown());
        if (value != null) {
            return value;
        }
        Path fallback = project.shown().resolve(DEFAULT_FIXTURES);
        return Files.isDirectory(fallback) ? fallback : null;
    }

    private static Duration duration(SettingSources sources, String option, String key, String optionName,
            String envName, Duration fallback) {
        String value = sources.pick(option, List.of(envName), key, null);
        return value == null ? fallback
                : Durations.parse(value, key + " (" + optionName + ", " + envName + ", " + key + "=)");
    }

    private Properties readProperties(ProjectRoot project) {
        Path file = project.file();
        Properties properties = new Properties();
        if (file == null) {
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
            "fixtures", "embeddedIdle"));
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
                    ServerText.clean(key, 80),
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
