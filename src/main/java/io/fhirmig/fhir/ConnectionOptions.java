package io.fhirmig.fhir;

import io.fhirmig.fhir.net.Urls;
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
 * @param retries how often a request that is safe to repeat (a read, a conditional or versioned write)
 *     is sent again after a transient failure (see {@link RetryingHttpClient})
 * @param authentication how fhirmig proves who it is
 * @param caFile a PEM file of CA certificates to trust besides the system's, or {@code null}
 * @param headers extra headers sent with every request (e.g. a tenant header), in order
 */
public record ConnectionOptions(String url, Duration connectTimeout, Duration readTimeout, int retries,
        Authentication authentication, Path caFile, Map<String, String> headers) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_RETRIES = 3;

    public ConnectionOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(authentication, "authentication");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more");
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static ConnectionOptions of(String url) {
        return new ConnectionOptions(url, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_RETRIES,
                new Authentication.None(), null, Map.of());
    }

    /** These options with other timeouts. */
    public ConnectionOptions withTimeouts(Duration connectTimeout, Duration readTimeout) {
        return new ConnectionOptions(url, connectTimeout, readTimeout, retries, authentication, caFile, headers);
    }

    /** These options with another number of retries (0: none). */
    public ConnectionOptions withRetries(int retries) {
        return new ConnectionOptions(url, connectTimeout, readTimeout, retries, authentication, caFile, headers);
    }

    /** These options for another URL (the embedded server's, once it listens). */
    public ConnectionOptions withUrl(String url) {
        return new ConnectionOptions(url, connectTimeout, readTimeout, retries, authentication, caFile, headers);
    }

    /** These options with the given credentials, CA file and headers. */
    public ConnectionOptions withSecurity(Authentication authentication, Path caFile, Map<String, String> headers) {
        return new ConnectionOptions(url, connectTimeout, readTimeout, retries, authentication, caFile, headers);
    }

    @Override
    public String toString() {
        // The URL may carry user-info, and header values may be keys: neither is shown.
        return "ConnectionOptions[url=" + Urls.withoutCredentials(url) + ", authentication=" + authentication.method()
                + ", caFile=" + caFile + ", headers=" + headers.keySet() + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", retries=" + retries + "]";
    }
}
