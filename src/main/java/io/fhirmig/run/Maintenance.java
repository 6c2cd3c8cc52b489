package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.graph.Revision;
import io.fhirmig.graph.RevisionGraph;
import io.fhirmig.graph.Target;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LockInfo;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The commands that change the state without running migrations: {@code stamp} (and {@code reset}),
 * {@code unlock} and {@code repair}. Each is audited.
 */
public final class Maintenance {

    private final MigrationSet migrations;
    private final StateStore store;
    private final AuditLog audit;
    private final RunIdentity identity;
    private final StateLock lock;

    public Maintenance(MigrationSet migrations, StateStore store, AuditLog audit, RunIdentity identity, RunOptions options) {
        this.migrations = migrations;
        this.store = store;
        this.audit = audit;
        this.identity = identity;
        this.lock = new StateLock(store, identity, options);
    }

    /** The result of a stamp: the heads before and after. */
    public record StampResult(List<String> headsBefore, List<String> headsAfter) {
    }

    /**
     * Sets the applied heads to the target without running anything, adding and removing applied
     * records to match ({@code base} forgets everything: the original tool's {@code reset}).
     */
    public StampResult stamp(Target target) {
        List<String> newHeads = headsFor(target);
        StateSnapshot state = lock.acquire("stamp " + target);
        try {
            RevisionGraph graph = migrations.graph();
            Set<String> before = appliedSetLenient(state.heads());
            Set<String> after = graph.appliedSet(newHeads);
            // The records, not the heads, say which records exist: stamp is the repair of a state whose
            // records and heads disagree, and afterwards there is one record per applied revision.
            Set<String> recorded = new HashSet<>();
            store.appliedRecords().forEach(record -> recorded.add(record.revision()));
            before.addAll(recorded);
            List<AppliedRecord> create = new ArrayList<>();
            for (String revision : after) {
                if (!recorded.contains(revision)) {
                    MigrationScript script = migrations.script(revision);
                    create.add(new AppliedRecord(revision, script.checksum(), script.fileName(), Instant.now(),
                            identity.userAtHost(), 0));
                }
            }
            List<String> forget = before.stream().filter(r -> !after.contains(r)).toList();
            StateSnapshot stamped = store.commit(state,
                    new StateChange(newHeads, lock.renewed("stamp " + target), create, List.of(), forget, List.of()));
            audit.event("stamp").with("target", target.toString()).with("headsBefore", String.join(",", state.heads()))
                    .with("headsAfter", String.join(",", newHeads)).with("outcome", "success").write();
            StampResult result = new StampResult(state.heads(), stamped.heads());
            state = stamped;
            return result;
        } finally {
            lock.release(state);
        }
    }

    /** The stored heads may name revisions no script declares: that is what stamp repairs. */
    private Set<String> appliedSetLenient(List<String> heads) {
        Set<String> applied = new LinkedHashSet<>();
        for (String head : heads) {
            if (migrations.graph().contains(head)) {
                applied.addAll(migrations.graph().ancestors(head));
            } else {
                applied.add(head);
            }
        }
        return applied;
    }

    private List<String> headsFor(Target target) {
        RevisionGraph graph = migrations.graph();
        if (target instanceof Target.Base) {
            return List.of();
        }
        if (target instanceof Target.Heads) {
            return graph.heads().stream().map(Revision::id).sorted().toList();
        }
        if (target instanceof Target.Head) {
            List<Revision> heads = graph.heads();
            if (heads.size() != 1) {
                throw new FhirmigException(FhirmigException.Kind.USAGE, heads.isEmpty()
                        ? "there are no migrations to stamp"
                        : "there are several heads (" + String.join(", ", heads.stream().map(Revision::id).toList())
                                + "): stamp one of them, or `heads`");
            }
            return List.of(heads.get(0).id());
        }
        if (target instanceof Target.Rev rev) {
            return List.of(graph.resolve(rev.idOrPrefix()).id());
        }
        throw new FhirmigException(FhirmigException.Kind.USAGE,
                "stamp needs head, heads, base or a revision, not a relative target (" + target + ")");
    }

    /** Clears the lock whoever holds it; returns the lock cleared, or null when there was none. */
    public LockInfo unlock() {
        LockInfo cleared = store.forceUnlock();
        audit.event("unlock").with("owner", cleared == null ? null : cleared.owner())
                .with("step", cleared == null ? null : cleared.step())
                .with("outcome", cleared == null ? "not-locked" : "cleared").write();
        return cleared;
    }

    /**
     * What a repair changed.
     *
     * @param accepted the records that took their edited script's new checksum
     * @param forgotten the revisions whose records were removed, as the heads do not include them
     * @param written the records written for revisions the heads include but no record named
     */
    public record RepairResult(List<AppliedRecord> accepted, List<String> forgotten, List<AppliedRecord> written) {
    }

    /**
     * Makes the records match the heads: accepts the current text of edited applied scripts (their
     * records take the new checksums), forgets records of revisions that are not applied, and writes
     * the missing records of revisions that are.
     */
    public RepairResult repair() {
        StateSnapshot state = lock.acquire("repair");
        try {
            Set<String> applied = migrations.graph().appliedSet(state.heads());
            List<AppliedRecord> records = store.appliedRecords();
            List<AppliedRecord> updated = new ArrayList<>();
            for (AppliedRecord record : new Validation(migrations).mismatches(records, applied)) {
                MigrationScript script = migrations.script(record.revision());
                updated.add(new AppliedRecord(record.revision(), script.checksum(), script.fileName(),
                        record.appliedAt(), record.appliedBy(), record.durationMs()));
            }
            List<String> orphans = records.stream().map(AppliedRecord::revision).filter(r -> !applied.contains(r))
                    .sorted().toList();
            // A revision the heads include but no record names (a record deleted by hand): the heads
            // are taken as the truth, as for the orphans, and its record is written again.
            Set<String> recorded = new HashSet<>();
            records.forEach(record -> recorded.add(record.revision()));
            List<AppliedRecord> missing = new ArrayList<>();
            for (String revision : applied) {
                if (!recorded.contains(revision)) {
                    MigrationScript script = migrations.script(revision);
                    missing.add(new AppliedRecord(revision, script.checksum(), script.fileName(), Instant.now(),
                            identity.userAtHost(), 0));
                }
            }
            if (!updated.isEmpty() || !orphans.isEmpty() || !missing.isEmpty()) {
                state = store.commit(state, new StateChange(state.heads(), lock.renewed("repair"), missing,
                        updated, orphans, List.of()));
            }
            audit.event("repair").with("checksumsAccepted", String.join(",", updated.stream().map(AppliedRecord::revision).toList()))
                    .with("recordsForgotten", String.join(",", orphans))
                    .with("recordsWritten", String.join(",", missing.stream().map(AppliedRecord::revision).toList()))
                    .with("outcome", "success").write();
            return new RepairResult(updated, orphans, missing);
        } finally {
            lock.release(state);
        }
    }
}
