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
 */
record Settings(String url, Path versions, String namespace, Path templates, boolean templatesConfigured,
        ConnectionSecurity security, Path cache, Duration connectTimeout, Duration readTimeout,
        String legacyResourceId) {

    /** Settings with the Python tool's default resource id. */
    Settings(String url, Path versions, String namespace, Path templates, boolean templatesConfigured,
            ConnectionSecurity security, Path cache, Duration connectTimeout, Duration readTimeout) {
        this(url, versions, namespace, templates, templatesConfigured, security, cache, connectTimeout, readTimeout,
                Fhirmig.DEFAULT_LEGACY_RESOURCE_ID);
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
}
