package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The resolved settings of one run.
 *
 * @param url the FHIR base URL, or {@link #EMBEDDED} for the embedded server
 * @param versions the folder of the migration scripts
 * @param namespace the namespace of this application's state on the server
 * @param templates the folder of the migration template
 * @param templatesConfigured whether the templates folder was set (option, environment or file)
 *     rather than defaulted; a configured folder must hold the template
 * @param security credentials, CA file and extra headers for the server (secrets masked when printed)
 * @param cache the folder of the script cache, or {@code null} when caching is off
 * @param connectTimeout how long to wait for a connection to the server
 * @param readTimeout how long to wait for the server's answer
 * @param legacyResourceId the identifier value of the Python tool's state ({@code MIGRATION_RESOURCE_ID})
 * @param root the project's folder, absolute ({@link ProjectRoot}): where {@code fhirmig.properties} was
 *     found, else the working folder; {@code .fhirmig/} lives there
 * @param embeddedData the embedded server's data folder, {@code .fhirmig/server} in the project's root
 *     (as output shows it: relative to the working folder when the root is it or above it)
 * @param projectFound whether a settings file was found upwards or named ({@code --config}, {@code FHIRMIG_CONFIG})
 * @param urlChosen whether the server was chosen (option, environment or file, {@code embedded} included)
 *     rather than left to the default
 * @param embeddedIdle how long the background embedded server waits without requests before it stops
 *     itself; zero for no background server (the embedded server runs in the command's process)
 */
record Settings(String url, Path versions, String namespace, Path templates, boolean templatesConfigured,
        ConnectionSecurity security, Path cache, Duration connectTimeout, Duration readTimeout,
        String legacyResourceId, Path root, Path embeddedData, boolean projectFound, boolean urlChosen,
        Duration embeddedIdle) {

    /** The background embedded server's idle limit by default. */
    static final Duration DEFAULT_EMBEDDED_IDLE = Duration.ofMinutes(30);

    /** Settings of a project in the working folder, whose server was chosen. */
    Settings(String url, Path versions, String namespace, Path templates, boolean templatesConfigured,
            ConnectionSecurity security, Path cache, Duration connectTimeout, Duration readTimeout,
            String legacyResourceId) {
        this(url, versions, namespace, templates, templatesConfigured, security, cache, connectTimeout, readTimeout,
                legacyResourceId, Path.of("").toAbsolutePath(), Path.of(".fhirmig", "server"), true, true,
                DEFAULT_EMBEDDED_IDLE);
    }

    /** Settings with the Python tool's default resource id. */
    Settings(String url, Path versions, String namespace, Path templates, boolean templatesConfigured,
            ConnectionSecurity security, Path cache, Duration connectTimeout, Duration readTimeout) {
        this(url, versions, namespace, templates, templatesConfigured, security, cache, connectTimeout, readTimeout,
                Fhirmig.DEFAULT_LEGACY_RESOURCE_ID);
    }

    /**
     * Whether this run would use an embedded server nobody chose: no project found, no server given.
     * Someone who believes they are on their team's server, and is not, would get wrong answers
     * without an error, so commands say so plainly (and the writing ones ask on a terminal).
     */
    boolean embeddedUnchosen() {
        return embedded() && !urlChosen && !projectFound;
    }

    /** The same settings, with the embedded server chosen (the user confirmed it). */
    Settings withEmbeddedChosen() {
        return new Settings(url, versions, namespace, templates, templatesConfigured, security, cache, connectTimeout,
                readTimeout, legacyResourceId, root, embeddedData, projectFound, true, embeddedIdle);
    }

    static final String EMBEDDED = "embedded";

    boolean embedded() {
        return EMBEDDED.equalsIgnoreCase(url);
    }

    /** A builder of the library configured with these settings; the data of the embedded server in {@code dataDir}. */
    Fhirmig.Builder builder(Path embeddedDataDir) {
        Fhirmig.Builder builder = Fhirmig.configure().url(url).versions(versions).namespace(namespace)
                .templates(templates, templatesConfigured).embeddedDataDir(embeddedDataDir)
                .connectTimeout(connectTimeout).readTimeout(readTimeout).legacyResourceId(legacyResourceId);
        if (cache != null) {
            builder.cache(cache);
        }
        return security.applyTo(builder);
    }

    /** Whether the embedded server runs in the background, shared by the commands (else in each command's process). */
    boolean backgroundEmbedded() {
        return embedded() && !embeddedIdle.isZero();
    }
}
