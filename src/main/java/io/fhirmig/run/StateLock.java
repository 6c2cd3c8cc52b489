package io.fhirmig.run;

import io.fhirmig.state.LockInfo;
import io.fhirmig.state.LockedException;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateChangedException;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.time.Instant;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Takes, renews and releases this run's lock on the state, waiting for another run's if asked to. */
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

    LockInfo renewed(String step) {
        return new LockInfo(identity.lockOwner(), step, Instant.now().plus(options.lockTtl()));
    }

    StateSnapshot acquire(String step) {
        Instant deadline = Instant.now().plus(options.lockWait());
        boolean told = false;
        while (true) {
            try {
                return store.acquireLock(renewed(step));
            } catch (LockedException | StateChangedException e) {
                if (!Instant.now().isBefore(deadline)) {
                    throw e;
                }
                if (!told && e instanceof LockedException locked) {
                    LOG.info("waiting for the lock held by {} ({})", locked.lock().owner(), locked.lock().step());
                    told = true;
                }
                sleep();
            }
        }
    }

    /** Releases the lock; a failure here is reported but never hides the run's own outcome. */
    void release(StateSnapshot state) {
        try {
            store.commit(state, StateChange.of(state.heads(), null));
        } catch (RuntimeException e) {
            LOG.warn("could not release the lock ({}); it lapses by itself, or clear it with `fhirmig unlock`",
                    e.getMessage());
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
