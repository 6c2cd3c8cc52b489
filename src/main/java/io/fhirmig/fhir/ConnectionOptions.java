package io.fhirmig.fhir;

import io.fhirmig.fhir.auth.Authentication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How fhirmig talks to a FHIR server.
 *
 * @param url the FHIR base URL
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer (large transactions need minutes)
 * @param readRetries how often a read (GET) is retried after a connection error or a 502/503/504
 * @param authentication how fhirmig proves who it is
 * @param caFile a PEM file of CA certificates to trust besides the system's, or {@code null}
 * @param headers extra headers sent with every request (e.g. a tenant header), in order
 */
public record ConnectionOptions(String url, Duration connectTimeout, Duration readTimeout, int readRetries,
        Authentication authentication, Path caFile, Map<String, String> headers) {

    public ConnectionOptions {
        Objects.requireNonNull(authentication, "authentication");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static ConnectionOptions of(String url) {
        return new ConnectionOptions(url, Duration.ofSeconds(10), Duration.ofMinutes(5), 3,
                new Authentication.None(), null, Map.of());
    }

    /** These options with the given credentials, CA file and headers. */
    public ConnectionOptions withSecurity(Authentication authentication, Path caFile, Map<String, String> headers) {
        return new ConnectionOptions(url, connectTimeout, readTimeout, readRetries, authentication, caFile, headers);
    }

    @Override
    public String toString() {
        // The URL may carry user-info, and header values may be keys: neither is shown.
        return "ConnectionOptions[url=" + Urls.withoutCredentials(url) + ", authentication=" + authentication.method()
                + ", caFile=" + caFile + ", headers=" + headers.keySet() + "]";
    }
}
