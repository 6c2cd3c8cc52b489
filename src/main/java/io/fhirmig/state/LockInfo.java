package io.fhirmig.state;

import java.time.Instant;

/**
 * The lock on a namespace's state: who holds it, which step it is running, and when it lapses so
 * that a crashed run cannot block others forever.
 *
 * @param owner the run that holds it, {@code user@host pid N run}
 * @param step the step it is running
 * @param expiresAt when it lapses
 * @param ownerStarted when the owner's process started, or null when not known (a lock written by an
 *     older fhirmig): with the process id, it tells the owner from a later process that has its id
 */
public record LockInfo(String owner, String step, Instant expiresAt, Instant ownerStarted) {

    /** A lock that does not say when its owner's process started. */
    public LockInfo(String owner, String step, Instant expiresAt) {
        this(owner, step, expiresAt, null);
    }

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
