package io.fhirmig.state;

import java.time.Instant;

/**
 * The lock on a namespace's state: who holds it, which step it is running, and when it lapses so
 * that a crashed run cannot block others forever.
 */
public record LockInfo(String owner, String step, Instant expiresAt) {

    /**
     * Whether the lock names its owner and when it lapses. One that does not was read as held for
     * ever (see InconsistentStateException), and is shown only.
     */
    public boolean readable() {
        return owner != null && !owner.isBlank() && !Instant.MAX.equals(expiresAt);
    }

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
