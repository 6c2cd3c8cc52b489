package io.fhirmig.cli;

import io.fhirmig.fhir.ConnectionOptions;
import io.fhirmig.script.ScriptCache;
import io.fhirmig.state.LegacyToolState;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The resolved settings of one run.
 *
 * @param url the FHIR base URL, or {@link #EMBEDDED} for the in-process server
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
 * @param embeddedIdle how long the background embedded server waits without requests before it stops
 *     itself; zero for no background server (the embedded server runs in the command's process)
 */
record Settings(String url, Path versions, String namespace, Path templates, boolean templatesConfigured,
        ConnectionSecurity security, Path cache, Duration connectTimeout, Duration readTimeout,
        String legacyResourceId, Duration embeddedIdle) {

    /** The background embedded server's idle limit by default. */
    static final Duration DEFAULT_EMBEDDED_IDLE = Duration.ofMinutes(30);

    /** Settings with the default idle limit of the background embedded server. */
    Settings(String url, Path versions, String namespace, Path templates, boolean templatesConfigured,
            ConnectionSecurity security, Path cache, Duration connectTimeout, Duration readTimeout,
            String legacyResourceId) {
        this(url, versions, namespace, templates, templatesConfigured, security, cache, connectTimeout, readTimeout,
                legacyResourceId, DEFAULT_EMBEDDED_IDLE);
    }

    /** Settings with the Python tool's default resource id. */
    Settings(String url, Path versions, String namespace, Path templates, boolean templatesConfigured,
            ConnectionSecurity security, Path cache, Duration connectTimeout, Duration readTimeout) {
        this(url, versions, namespace, templates, templatesConfigured, security, cache, connectTimeout, readTimeout,
                LegacyToolState.DEFAULT_RESOURCE_ID);
    }

    static final String EMBEDDED = "embedded";

    /** {@return the cache of script headers and compiled scripts; none when switched off} */
    ScriptCache scriptCache() {
        return cache == null ? ScriptCache.none() : ScriptCache.at(cache);
    }

    boolean embedded() {
        return EMBEDDED.equalsIgnoreCase(url);
    }

    /** Whether the embedded server runs in the background, shared by the commands (else in each command's process). */
    boolean backgroundEmbedded() {
        return embedded() && !embeddedIdle.isZero();
    }

    /** How to reach the server: its URL with the security settings and timeouts. */
    ConnectionOptions connection() {
        return ConnectionOptions.of(url).withSecurity(security.authentication(), security.caFile(), security.headers())
                .withTimeouts(connectTimeout, readTimeout);
    }
}
