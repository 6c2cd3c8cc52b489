package io.fhirmig.run;

import io.fhirmig.api.ServerText;
import io.fhirmig.state.LockInfo;
import io.fhirmig.state.LockedException;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateChangedException;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.time.Instant;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Takes this run's lock on the state, waiting for another run's if asked to; for the short
 * maintenance commands, also renews and releases it (a migration run's lease is kept by
 * {@link StepCommits}).
 */
final class StateLock {

    private static final Logger LOG = LogManager.getLogger(StateLock.class);
    private static final long POLL_MILLIS = 500;

    private final StateStore store;
    private final RunIdentity identity;
    private final RunOptions options;

    StateLock(StateStore store, RunIdentity identity, RunOptions options) {
        this.store = store;
        this.identity = identity;
        this.options = options;
    }

    /** A lease on the lock for this run, naming {@code step}. */
    Lease newLease(String step) {
        return new Lease(identity.lockOwner(), DeadLocalRun.thisProcessStarted(), options.lockTtl(), step);
    }

    /** The lock renewed for a maintenance command's one commit. */
    LockInfo renewed(String step) {
        return new LockInfo(identity.lockOwner(), step, Instant.now().plus(options.lockTtl()),
                DeadLocalRun.thisProcessStarted());
    }

    /** Takes the lock for a maintenance command. */
    StateSnapshot acquire(String step) {
        return acquire(newLease(step), step, StateSnapshot.none());
    }

    /** Releases a maintenance command's lock; a failure here is reported but never hides its outcome. */
    void release(StateSnapshot state) {
        release(store, state);
    }

    /**
     * Clears the lock, keeping the heads. A release that fails is not an error of the run: the lock
     * lapses by itself.
     *
     * @return the state after, or {@code state} when the release failed
     */
    static StateSnapshot release(StateStore store, StateSnapshot state) {
        try {
            return store.commit(state, StateChange.of(state.heads(), null));
        } catch (StateChangedException e) {
            // Another run moved the state: the lock is no longer this run's to release.
            LOG.debug("the lock was not released: another run changed the state");
        } catch (RuntimeException e) {
            LOG.warn("could not release the lock ({}); it lapses by itself, or clear it with `fhirmig unlock`",
                    e.getMessage());
        }
        return state;
    }

    /**
     * Takes the lock under {@code lease}, naming {@code step}. A lock that had lapsed is taken over,
     * and the run says whose it was: that run died or was paused, and its last step may be half done.
     * So is the lock of a run on this host whose process has ended ({@link DeadLocalRun}), at once
     * rather than when it lapses.
     *
     * @param seen the state as read before, to tell a lapsed lock from none
     */
    StateSnapshot acquire(Lease lease, String step, StateSnapshot seen) {
        Instant deadline = Instant.now().plus(options.lockWait());
        boolean told = false;
        LockInfo before = seen.lock();
        LockInfo abandoned = null;
        DeadLocalRun dead = DeadLocalRun.of(before, identity);
        if (dead != null) {
            abandoned = before;
        }
        while (true) {
            long sent = System.nanoTime();
            try {
                StateSnapshot locked = store.acquireLock(lease.lock(step), abandoned == null ? null : abandoned.owner());
                lease.held(sent);
                if (abandoned != null && !abandoned.expiredAt(Instant.now())) {
                    LOG.warn("took over the lock of {} (it was running {}): its process {} on this host is no longer"
                            + " running, so that step may be half done", ServerText.clean(abandoned.owner()),
                            ServerText.clean(abandoned.step()), dead.pid());
                } else if (before != null && !before.owner().equals(identity.lockOwner())
                        && before.expiredAt(Instant.now())) {
                    LOG.warn("took over the lapsed lock of {} (it was running {}, and lapsed at {}): that run died or"
                            + " was paused, so that step may be half done", ServerText.clean(before.owner()), ServerText.clean(before.step()),
                            before.expiresAt());
                }
                return locked;
            } catch (LockedException | StateChangedException e) {
                if (e instanceof LockedException locked) {
                    before = locked.lock();
                    DeadLocalRun gone = DeadLocalRun.of(before, identity);
                    if (gone != null && (abandoned == null || !abandoned.owner().equals(before.owner()))) {
                        // Seen only now (the state read before had no lock, or another's): take it at once.
                        abandoned = before;
                        dead = gone;
                        continue;
                    }
                }
                if (!Instant.now().isBefore(deadline)) {
                    throw e;
                }
                if (e instanceof LockedException locked && !told) {
                    LOG.info("waiting for the lock held by {} ({})", ServerText.clean(locked.lock().owner()),
                            ServerText.clean(locked.lock().step()));
                    told = true;
                }
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lock", e);
        }
    }
}
