package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.state.LockInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * This run's hold on the lock, and the fence that stops its requests once the hold is gone.
 *
 * <p>The lock on the server lapses at its {@code expiresAt}; from then on another run may take it
 * over and run the same steps. So this run stops sending anything a little before that moment
 * (by its own monotonic clock, measured from when the lock was sent), unless a renewal moved the
 * moment on. A run paused past its lease (a suspended process, a long garbage collection) finds the
 * fence shut when it wakes, before its next request leaves.
 */
final class Lease {

    private final String owner;
    private final Instant ownerStarted;
    private final Duration ttl;
    private final long ttlNanos;
    private final long marginNanos;
    /** When requests stop, by {@link System#nanoTime()}; written under StepCommits' monitor. */
    private volatile long deadlineNanos;
    private volatile String step;
    private volatile RunStoppedException lost;

    Lease(String owner, Duration ttl, String step) {
        this(owner, null, ttl, step);
    }

    /** @param ownerStarted when the owner's process started, written into the lock; or null */
    Lease(String owner, Instant ownerStarted, Duration ttl, String step) {
        this.owner = owner;
        this.ownerStarted = ownerStarted;
        this.ttl = ttl;
        this.ttlNanos = ttl.toNanos();
        // Room for clocks that differ between hosts and for a request already on its way.
        this.marginNanos = Math.min(ttlNanos / 10, Duration.ofSeconds(10).toNanos());
        this.step = step;
        this.deadlineNanos = System.nanoTime() + ttlNanos - marginNanos;
    }

    /** A lock to send now, naming {@code step}; {@link #held(long)} once the server took it. */
    LockInfo lock(String step) {
        this.step = step;
        return new LockInfo(owner, step, Instant.now().plus(ttl), ownerStarted);
    }

    /** The step the lock names. */
    String step() {
        return step;
    }

    /**
     * The server accepted a lock made by {@link #lock(String)} no earlier than {@code sentNanos}: the
     * lease runs from then.
     */
    void held(long sentNanos) {
        deadlineNanos = Math.max(deadlineNanos, sentNanos + ttlNanos - marginNanos);
    }

    /** Whether a renewal is due: a third of the lease has gone by since the last one. */
    boolean renewalDue() {
        return deadlineNanos - System.nanoTime() < (ttlNanos - marginNanos) * 2 / 3;
    }

    /** How long until a renewal is due, in nanoseconds (zero or more). */
    long nanosUntilRenewal() {
        return Math.max(0, deadlineNanos - System.nanoTime() - (ttlNanos - marginNanos) * 2 / 3);
    }

    /**
     * Throws when this run may no longer send anything: the lease was lost, or it has run out.
     *
     * @throws RunStoppedException saying why
     */
    void check() {
        RunStoppedException reason = lost;
        if (reason == null && System.nanoTime() >= deadlineNanos) {
            reason = lose(FhirmigException.Kind.CONCURRENT, "its lock lapsed (the lock's time to live is "
                    + ttl.toSeconds() + " s, and the run was paused or could not renew it in time)");
        }
        if (reason != null) {
            throw reason;
        }
    }

    /** Whether the fence is shut. */
    boolean lost() {
        return lost != null || System.nanoTime() >= deadlineNanos;
    }

    /**
     * Shuts the fence: every later request of this run fails with the returned exception.
     *
     * @param kind what kind of failure the run ends with
     * @param why why the run may no longer write, e.g. "another run changed the state"
     */
    synchronized RunStoppedException lose(FhirmigException.Kind kind, String why) {
        if (lost == null) {
            lost = new RunStoppedException(kind, why, step);
        }
        return lost;
    }

    /** The exception the fence throws, or null while it is open. */
    RunStoppedException reason() {
        return lost;
    }
}
