package io.fhirmig.fhir.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * An access token from a token endpoint.
 *
 * @param value the token
 * @param obtainedAt when it was received
 * @param expiresAt when the endpoint said it expires, or {@code null} if it did not say
 */
public record AccessToken(Secret value, Instant obtainedAt, Instant expiresAt) {

    /** Tokens are renewed this long before they expire, or at half their lifetime if that is shorter. */
    static final Duration RENEWAL_MARGIN = Duration.ofSeconds(30);

    /**
     * Whether it can still be sent at {@code now}: until shortly before it expires, so that a token is
     * never sent that expires on its way. A token without an expiry is used until the server refuses it.
     */
    boolean usableAt(Instant now) {
        if (expiresAt == null) {
            return true;
        }
        Duration half = Duration.between(obtainedAt, expiresAt).dividedBy(2);
        Duration margin = half.compareTo(RENEWAL_MARGIN) < 0 ? half : RENEWAL_MARGIN;
        return now.isBefore(expiresAt.minus(margin));
    }
}
