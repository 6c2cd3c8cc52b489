package io.fhirmig.state;

import java.util.List;

/**
 * Where a namespace's migration state lives: the applied heads, the lock and one record per applied
 * revision. Every write is a compare-and-set against the version last read, so two runs can never
 * both believe they changed it.
 */
public interface StateStore {

    /** The namespace this store keeps apart from others on the same server. */
    String namespace();

    /** Reads the current state without changing anything. */
    StateSnapshot read();

    /**
     * Takes the lock for {@code lock.owner()}, creating the state resource when there is none yet.
     *
     * @throws LockedException when another owner holds an unexpired lock
     * @throws StateChangedException when another run wrote between the read and the write
     */
    default StateSnapshot acquireLock(LockInfo lock) {
        return acquireLock(lock, null);
    }

    /**
     * Takes the lock for {@code lock.owner()} as {@link #acquireLock(LockInfo)} does, and also while
     * {@code abandonedOwner} holds it: a run known to be gone (its process on this host has ended).
     *
     * @param abandonedOwner the owner whose unexpired lock may be taken over, or null for none
     * @throws LockedException when another owner holds an unexpired lock
     * @throws StateChangedException when another run wrote between the read and the write
     */
    StateSnapshot acquireLock(LockInfo lock, String abandonedOwner);

    /**
     * Commits a change against the version in {@code expected}, in one transaction.
     *
     * @throws StateChangedException when the state is no longer at that version
     */
    StateSnapshot commit(StateSnapshot expected, StateChange change);

    /** Clears any lock, whoever holds it ({@code fhirmig unlock}); returns the lock that was cleared. */
    LockInfo forceUnlock();

    /** Every applied record of this namespace, in no particular order. */
    List<AppliedRecord> appliedRecords();
}
