package io.fhirmig.cli;

import io.fhirmig.fhir.auth.Authentication;
import java.nio.file.Path;
import java.util.Map;

/**
 * The security settings of a run.
 *
 * @param authentication the one configured way to authenticate, or none
 * @param caFile the private CA's certificates, or {@code null} for the system trust store only
 * @param headers extra request headers, e.g. a tenant header
 */
record ConnectionSecurity(Authentication authentication, Path caFile, Map<String, String> headers) {

    @Override
    public String toString() {
        // Header values may be API keys: only their names are shown.
        return "ConnectionSecurity[" + authentication + ", caFile=" + caFile + ", headers=" + headers.keySet() + "]";
    }
}
