package io.fhirmig.fhir;

import java.time.Duration;

/**
 * How fhirmig talks to a FHIR server.
 *
 * @param url the FHIR base URL
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer (large transactions need minutes)
 * @param readRetries how often a read (GET) is retried after a connection error or a 502/503/504
 */
public record ConnectionOptions(String url, Duration connectTimeout, Duration readTimeout, int readRetries) {

    public static ConnectionOptions of(String url) {
        return new ConnectionOptions(url, Duration.ofSeconds(10), Duration.ofMinutes(5), 3);
    }
}
