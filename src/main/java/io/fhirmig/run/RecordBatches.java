package io.fhirmig.run;

import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LockInfo;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a state change that writes many records (a {@code stamp}, {@code adopt} or {@code repair}
 * over thousands of revisions) into transactions of at most {@link #MAX_RECORDS} records each.
 * Servers cap a Bundle's size (Azure's API for FHIR at 500 entries by default), and HAPI-based
 * servers check each conditional create of a transaction against every resource it writes, so one
 * transaction of n records costs them n squared.
 *
 * <p>The order keeps every state in between one in which no migration would run twice: records are
 * forgotten (and updated) first, under the old heads; the heads change with the first records
 * created, or with the last forgotten when none are created; the rest are created under the new
 * heads. A run stopped between two transactions leaves applied revisions without their records,
 * never records of revisions that are not applied: every later run reports that the state
 * contradicts itself and runs nothing until {@code repair} writes the missing records (the
 * {@code stamp}, {@code reset} or {@code adopt} run again does too, and its error says so). The
 * lock is held until the last transaction, which sets it as the change says.
 */
final class RecordBatches {

    /** At most this many records written in one transaction. */
    static final int MAX_RECORDS = 200;

    private RecordBatches() {
    }

    /**
     * The transactions of a change under the state as read: the caller commits them in order, each
     * against the state the one before it left, so that the lock is released from the state as it is.
     *
     * @param state the state as read under this run's lock
     * @param change the whole change
     * @return the parts, in order
     */
    static List<StateChange> parts(StateSnapshot state, StateChange change) {
        return split(state.heads(), state.lock(), change, MAX_RECORDS);
    }

    /**
     * The transactions of a change, in order; a change of at most {@code max} records, or one with
     * data entries (which must land with their records), is one transaction.
     *
     * @param headsBefore the heads before the change
     * @param heldLock the lock held meanwhile
     * @param change the whole change
     * @param max the most records a transaction writes
     * @return the parts, whose records together are the change's
     */
    static List<StateChange> split(List<String> headsBefore, LockInfo heldLock, StateChange change, int max) {
        int records = change.recordsToCreate().size() + change.recordsToUpdate().size()
                + change.revisionsToForget().size();
        if (records <= max || !change.dataEntries().isEmpty()) {
            return List.of(change);
        }
        List<StateChange> parts = new ArrayList<>();
        List<AppliedRecord> updates = change.recordsToUpdate();
        List<String> forgets = change.revisionsToForget();
        List<AppliedRecord> creates = change.recordsToCreate();
        // Updates and forgets share transactions, the updates first.
        int before = updates.size() + forgets.size();
        for (int from = 0; from < before; from += max) {
            int to = Math.min(from + max, before);
            List<AppliedRecord> updatePart = updates.subList(Math.min(from, updates.size()), Math.min(to, updates.size()));
            List<String> forgetPart = forgets.subList(Math.max(0, from - updates.size()), Math.max(0, to - updates.size()));
            boolean headsChangeHere = creates.isEmpty() && to == before;
            parts.add(new StateChange(headsChangeHere ? change.heads() : headsBefore, heldLock, List.of(), updatePart,
                    forgetPart, List.of()));
        }
        for (int from = 0; from < creates.size(); from += max) {
            parts.add(new StateChange(change.heads(), heldLock, creates.subList(from, Math.min(from + max, creates.size())),
                    List.of(), List.of(), List.of()));
        }
        StateChange last = parts.remove(parts.size() - 1);
        parts.add(new StateChange(last.heads(), change.lock(), last.recordsToCreate(), last.recordsToUpdate(),
                last.revisionsToForget(), List.of()));
        return List.copyOf(parts);
    }
}
