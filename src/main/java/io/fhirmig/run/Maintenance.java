package io.fhirmig.run;

import io.fhirmig.FhirmigException;
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
            List<AppliedRecord> create = new ArrayList<>();
            for (String revision : after) {
                if (!before.contains(revision)) {
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
     * Accepts the current text of edited applied scripts (their records take the new checksums), and
     * forgets records of revisions that are no longer applied. Returns the records changed.
     */
    public List<AppliedRecord> repair() {
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
            if (!updated.isEmpty() || !orphans.isEmpty()) {
                state = store.commit(state, new StateChange(state.heads(), lock.renewed("repair"), List.of(),
                        updated, orphans, List.of()));
            }
            audit.event("repair").with("checksumsAccepted", String.join(",", updated.stream().map(AppliedRecord::revision).toList()))
                    .with("recordsForgotten", String.join(",", orphans)).with("outcome", "success").write();
            return updated;
        } finally {
            lock.release(state);
        }
    }
}
