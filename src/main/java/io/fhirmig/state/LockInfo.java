package io.fhirmig.state;

import java.time.Instant;

/**
 * The lock on a namespace's state: who holds it, which step it is running, and when it lapses so
 * that a crashed run cannot block others forever.
 */
public record LockInfo(String owner, String step, Instant expiresAt) {

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
