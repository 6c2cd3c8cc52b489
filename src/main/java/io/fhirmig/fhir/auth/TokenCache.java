package io.fhirmig.fhir.auth;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Keeps the current access token and fetches a new one when it is about to expire or the server
 * refused it. Shared by the threads of one connection: one fetch at a time, the others wait for it.
 */
final class TokenCache {

    private final Clock clock;
    private AccessToken current;

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    synchronized String token(Supplier<AccessToken> fetch) {
        if (current == null || !current.usableAt(clock.instant())) {
            current = fetch.get();
        }
        return current.value().reveal();
    }

    /**
     * Forgets {@code rejected}, unless another thread has already replaced it (then its new token is
     * the one to try).
     */
    synchronized void reject(String rejected) {
        if (current != null && current.value().reveal().equals(rejected)) {
            current = null;
        }
    }
}
