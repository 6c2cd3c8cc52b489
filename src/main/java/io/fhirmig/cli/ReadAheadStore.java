package io.fhirmig.cli;

import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LockInfo;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.util.List;

/**
 * A store whose first {@link #read()} was made when it was created, ahead of the command that asks
 * for it: a read-only command reads the state while logging is still being configured on another
 * thread. Every later call goes to the server.
 */
final class ReadAheadStore implements StateStore {

    private final StateStore store;
    private StateSnapshot readAhead;

    ReadAheadStore(StateStore store) {
        this.store = store;
        this.readAhead = store.read();
    }

    @Override
    public String namespace() {
        return store.namespace();
    }

    @Override
    public StateSnapshot read() {
        StateSnapshot first = readAhead;
        if (first != null) {
            readAhead = null;
            return first;
        }
        return store.read();
    }

    @Override
    public StateSnapshot acquireLock(LockInfo lock) {
        return store.acquireLock(lock);
    }

    @Override
    public StateSnapshot commit(StateSnapshot expected, StateChange change) {
        return store.commit(expected, change);
    }

    @Override
    public LockInfo forceUnlock() {
        return store.forceUnlock();
    }

    @Override
    public List<AppliedRecord> appliedRecords() {
        return store.appliedRecords();
    }
}
