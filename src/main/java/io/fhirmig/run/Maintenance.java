package io.fhirmig.run;

import io.fhirmig.api.AdoptResult;
import io.fhirmig.api.RepairResult;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.graph.Revision;
import io.fhirmig.graph.RevisionGraph;
import io.fhirmig.graph.Target;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LegacyToolState;
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
    private final Adoption adoption;

    /** Maintenance that never looks for the Python tool's state: enough for {@code unlock}. */
    public Maintenance(MigrationSet migrations, StateStore store, AuditLog audit, RunIdentity identity, RunOptions options) {
        this(migrations, store, audit, identity, options, null);
    }

    /**
     * @param adoption where the Python tool's state is looked for on a namespace with no fhirmig
     *     state; null: nowhere (unlock only)
     */
    public Maintenance(MigrationSet migrations, StateStore store, AuditLog audit, RunIdentity identity, RunOptions options,
            Adoption adoption) {
        this.migrations = migrations;
        this.store = store;
        this.audit = audit;
        this.identity = identity;
        this.lock = new StateLock(store, identity, options);
        this.adoption = adoption;
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
        String command = target instanceof Target.Base ? "reset" : "stamp";
        StateSnapshot state = acquireUnlessRecordedByTool("stamp " + target, command);
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
            List<String> headsBefore = state.heads();
            StateChange change = new StateChange(newHeads, lock.renewed("stamp " + target), create, List.of(), forget,
                    List.of());
            List<StateChange> parts = RecordBatches.parts(state, change);
            for (int i = 0; i < parts.size(); i++) {
                state = commitPart(state, parts, i, command, target instanceof Target.Base ? "reset" : "stamp " + target);
            }
            audit.event("stamp").with("target", target.toString()).with("headsBefore", String.join(",", headsBefore))
                    .with("headsAfter", String.join(",", newHeads)).with("outcome", "success").write();
            return new StampResult(headsBefore, state.heads());
        } finally {
            lock.release(state);
        }
    }

    /**
     * Takes the lock for a command that writes the state, after refusing it on a namespace whose
     * only state is the Python tool's: creating fhirmig's state there would hide the tool's.
     */
    private StateSnapshot acquireUnlessRecordedByTool(String step, String command) {
        if (adoption == null) {
            return lock.acquire(step);
        }
        StateSnapshot seen = store.read();
        adoption.refuseIfRecordedByTool(seen, command);
        return lock.acquire(lock.newLease(step), step, seen);
    }

    /**
     * Commits one of a change's parts ({@link RecordBatches}) and returns the state after it. The
     * caller keeps the state each part leaves, so that its lock is released from the latest. A
     * failure after the first part leaves the earlier ones on the server: its message then says where
     * the state was left and what finishes the change; the kind stays the failure's own.
     *
     * @param command the command that is making the change
     * @param finish the command line, without {@code fhirmig}, that finishes it
     */
    private StateSnapshot commitPart(StateSnapshot state, List<StateChange> parts, int index, String command,
            String finish) {
        try {
            return store.commit(state, parts.get(index));
        } catch (FhirmigException e) {
            if (index == 0) {
                throw e;
            }
            String heads = state.heads().isEmpty() ? "base" : String.join(", ", state.heads());
            throw new FhirmigException(e.kind(), e.getMessage() + ". The " + command + " stopped after " + index
                    + " of its " + parts.size() + " transactions of records: the head is " + heads + " and the records"
                    + " do not match it yet, so every run refuses (and runs nothing) until `fhirmig " + finish
                    + "` is run again to finish it", e);
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

    /**
     * Takes over the Python tool's state: records the revision the tool recorded, and every ancestor
     * of it, as applied (each record marked adopted, with the tool's resource id and lastUpdated) and
     * makes it the head, under the lock, as a stamp does (in transactions of at most
     * {@link RecordBatches#MAX_RECORDS} records). The tool's resource is left as it is. Adopting again
     * what is adopted does nothing; adopting again after an adoption stopped between its transactions
     * writes the records it did not.
     *
     * @param dryRun only say what would be recorded
     * @throws FhirmigException USAGE when the server has no tool resource, or the namespace has a
     *     fhirmig state of its own already; SERVER when the tool's resource records no revision;
     *     INVALID_MIGRATIONS when no script declares the tool's revision
     */
    public AdoptResult adopt(boolean dryRun) {
        if (adoption == null) {
            throw new IllegalStateException("adopt needs maintenance made with an Adoption");
        }
        LegacyToolState tool = adoption.tool();
        StateSnapshot seen = store.read();
        LegacyToolState.Recorded recorded = tool.read().orElseThrow(() -> new FhirmigException(
                FhirmigException.Kind.USAGE, "nothing to adopt: the server has no resource of the Python tool with"
                        + " identifier " + tool.identifier() + "; if the tool used another MIGRATION_RESOURCE_ID, set"
                        + " it (the environment variable MIGRATION_RESOURCE_ID, or legacyResourceId in"
                        + " fhirmig.properties)"));
        if (recorded.revision() == null) {
            throw new FhirmigException(FhirmigException.Kind.SERVER, "cannot adopt the Python tool's state: its"
                    + " resource (Basic/" + recorded.resourceId() + ", identifier " + recorded.identifier() + ") records"
                    + " no revision (it has no code.coding[0].code), so what the tool applied is not known; nothing"
                    + " was changed. Put the revision the tool last applied there, or if it applied nothing, start"
                    + " with `fhirmig upgrade` once that resource is gone");
        }
        RevisionGraph graph = migrations.graph();
        if (!graph.contains(recorded.revision())) {
            throw new FhirmigException(FhirmigException.Kind.INVALID_MIGRATIONS, "cannot adopt the Python tool's"
                    + " state: it recorded revision " + recorded.revision() + " (Basic/" + recorded.resourceId()
                    + "), which no script in " + migrations.versionsDir() + " declares; nothing was changed. Copy the"
                    + " tool's scripts into it (their revision ids carry over), then run `fhirmig adopt` again");
        }
        List<String> heads = List.of(recorded.revision());
        List<AppliedRecord> all = new ArrayList<>();
        Instant now = Instant.now();
        for (String revision : graph.ancestors(recorded.revision())) {
            MigrationScript script = migrations.script(revision);
            all.add(new AppliedRecord(revision, script.checksum(), script.fileName(), now, identity.userAtHost(), 0,
                    recorded.resourceId(), recorded.lastUpdated()));
        }
        List<AppliedRecord> records = toAdopt(seen, heads, recorded, all);
        if (records.isEmpty()) {
            return adopted(recorded, dryRun, true, seen.heads(), List.of());
        }
        if (dryRun) {
            return adopted(recorded, true, false, heads, records);
        }
        String step = "adopt " + recorded.revision();
        StateSnapshot state = lock.acquire(lock.newLease(step), step, seen);
        try {
            // Read again under the lock: another run may have written a state meanwhile.
            records = toAdopt(state, heads, recorded, all);
            if (records.isEmpty()) {
                return adopted(recorded, false, true, state.heads(), List.of());
            }
            StateChange change = new StateChange(heads, lock.renewed(step), records, List.of(), List.of(), List.of());
            List<StateChange> parts = RecordBatches.parts(state, change);
            for (int i = 0; i < parts.size(); i++) {
                state = commitPart(state, parts, i, "adopt", "adopt");
            }
            audit.event("adopt").with("revision", recorded.revision()).with("toolResource", "Basic/" + recorded.resourceId())
                    .with("toolIdentifier", recorded.identifier())
                    .with("toolLastUpdated", recorded.lastUpdated() == null ? null : recorded.lastUpdated().toString())
                    .with("recorded", records.size()).with("headsAfter", String.join(",", heads))
                    .with("outcome", "success").write();
            return adopted(recorded, false, false, heads, records);
        } finally {
            lock.release(state);
        }
    }

    private AdoptResult adopted(LegacyToolState.Recorded tool, boolean dryRun, boolean before, List<String> heads,
            List<AppliedRecord> records) {
        return new AdoptResult(store.namespace(), Results.tool(tool), dryRun, before, heads,
                records.stream().map(record -> Results.applied(record, migrations)).toList());
    }

    /**
     * The records an adoption writes: all of them on a namespace with no state; none on one that
     * adopted the tool's state before; those not written yet on one whose adoption stopped between
     * its transactions (at the tool's revision, with records missing).
     */
    private List<AppliedRecord> toAdopt(StateSnapshot state, List<String> heads, LegacyToolState.Recorded recorded,
            List<AppliedRecord> all) {
        if (!alreadyAdopted(state, heads, recorded)) {
            return all;
        }
        if (!state.heads().equals(heads)) {
            return List.of();
        }
        Set<String> written = new HashSet<>();
        store.appliedRecords().forEach(record -> written.add(record.revision()));
        return all.stream().filter(record -> !written.contains(record.revision())).toList();
    }

    /**
     * Whether the namespace adopted the tool's state before: it is at the tool's revision, or has
     * records adopted from the tool's resource (and upgraded since). A fhirmig state of its own is
     * refused: adopting would overwrite what fhirmig recorded.
     */
    private boolean alreadyAdopted(StateSnapshot state, List<String> heads, LegacyToolState.Recorded recorded) {
        if (state.heads().equals(heads)) {
            return true;
        }
        if (state.heads().isEmpty() && !state.exists()) {
            return false;
        }
        List<AppliedRecord> records = store.appliedRecords();
        if (records.stream().anyMatch(record -> recorded.resourceId().equals(record.adoptedFrom()))) {
            return true;
        }
        if (!state.heads().isEmpty() || !records.isEmpty()) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "namespace '" + store.namespace() + "' has a"
                    + " fhirmig state of its own already (" + (state.heads().isEmpty() ? "applied records, no head"
                    : "head " + String.join(", ", state.heads())) + "), so there is no Python tool's state to adopt"
                    + " here; nothing was changed. To say which revision the data is really at, use `fhirmig stamp"
                    + " REVISION`");
        }
        return false;
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
     * Makes the records match the heads: accepts the current text of edited applied scripts (their
     * records take the new checksums), forgets records of revisions that are not applied, and writes
     * the missing records of revisions that are.
     */
    public RepairResult repair() {
        StateSnapshot state = acquireUnlessRecordedByTool("repair", "repair");
        try {
            Set<String> applied = migrations.graph().appliedSet(state.heads());
            List<AppliedRecord> records = store.appliedRecords();
            List<AppliedRecord> updated = new ArrayList<>();
            for (AppliedRecord record : new Validation(migrations).mismatches(records, applied)) {
                MigrationScript script = migrations.script(record.revision());
                updated.add(new AppliedRecord(record.revision(), script.checksum(), script.fileName(),
                        record.appliedAt(), record.appliedBy(), record.durationMs(), record.adoptedFrom(),
                        record.adoptedLastUpdated()));
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
                StateChange change = new StateChange(state.heads(), lock.renewed("repair"), missing, updated, orphans,
                        List.of());
                List<StateChange> parts = RecordBatches.parts(state, change);
                for (int i = 0; i < parts.size(); i++) {
                    state = commitPart(state, parts, i, "repair", "repair");
                }
            }
            audit.event("repair").with("checksumsAccepted", String.join(",", updated.stream().map(AppliedRecord::revision).toList()))
                    .with("recordsForgotten", String.join(",", orphans))
                    .with("recordsWritten", String.join(",", missing.stream().map(AppliedRecord::revision).toList()))
                    .with("outcome", "success").write();
            return new RepairResult(updated.stream().map(record -> Results.applied(record, migrations)).toList(), orphans,
                    missing.stream().map(record -> Results.applied(record, migrations)).toList());
        } finally {
            lock.release(state);
        }
    }
}
