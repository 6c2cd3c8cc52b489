package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import io.fhirmig.graph.Revision;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LegacyToolState;
import io.fhirmig.state.LockInfo;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;


/**
 * What is applied and what is pending, read from the server's state (its heads: one small read,
 * however many migrations there are) and the scripts: the answers of {@code current},
 * {@code heads} and {@code check}. {@link #history} adds who applied what, when, from the applied
 * records.
 *
 * @param heads the applied heads stored on the server
 * @param lock the lock on the state, or null
 * @param applied the applied scripts, in the order the graph applies them
 * @param pending the scripts not yet applied, in the order an upgrade to all heads would apply them
 * @param graphHeads the heads of the revision graph (several: a branch)
 * @param recordedByTool on a namespace with no fhirmig state, what the Python tool recorded on the
 *     server, whose revision (when a script declares it) is then taken as the head; otherwise null
 */
public record Status(List<String> heads, LockInfo lock, List<MigrationScript> applied, List<MigrationScript> pending,
        List<String> graphHeads, LegacyToolState.Recorded recordedByTool) {

    public static Status read(MigrationSet migrations, StateStore store) {
        return read(() -> migrations, store);
    }

    /**
     * Reads the state first and asks for the migrations after, so that loading them (on another
     * thread, see {@link Workspace#loadInBackground()}) overlaps with the request.
     */
    public static Status read(Supplier<MigrationSet> migrationsLoader, StateStore store) {
        return read(migrationsLoader, (Supplier<StateSnapshot>) store::read);
    }

    /**
     * Like {@link #read(Supplier, StateStore)}, with the state from the given supplier (e.g. a state
     * read ahead of time).
     */
    public static Status read(Supplier<MigrationSet> migrationsLoader, Supplier<StateSnapshot> stateReader) {
        return read(migrationsLoader, stateReader, null);
    }

    /**
     * Like {@link #read(Supplier, Supplier)}; on a namespace with no fhirmig state, also looks for the
     * Python tool's (one more request, then only) and shows the revision it recorded as the head.
     *
     * @param adoption where the tool's state is looked for; null: nowhere
     */
    public static Status read(Supplier<MigrationSet> migrationsLoader, Supplier<StateSnapshot> stateReader,
            Adoption adoption) {
        StateSnapshot state;
        try {
            state = stateReader.get();
        } catch (FhirmigException e) {
            // Invalid migrations are the first thing to fix, whether or not the server answers.
            migrationsLoader.get();
            throw e;
        }
        LegacyToolState.Recorded recorded = adoption == null ? null : adoption.recordedIfNoState(state).orElse(null);
        MigrationSet migrations = migrationsLoader.get();
        List<String> heads = state.heads();
        if (recorded != null && recorded.revision() != null && migrations.graph().contains(recorded.revision())) {
            heads = List.of(recorded.revision());
        }
        Set<String> appliedSet = migrations.graph().appliedSet(heads);
        List<MigrationScript> applied = new ArrayList<>();
        List<MigrationScript> pending = new ArrayList<>();
        for (Revision revision : migrations.graph().revisions()) {
            (appliedSet.contains(revision.id()) ? applied : pending).add(migrations.script(revision.id()));
        }
        return new Status(heads, state.lock(), applied, pending,
                migrations.graph().heads().stream().map(Revision::id).toList(), recorded);
    }

    /** The heads the namespace's fhirmig state holds: none while the Python tool's state is shown. */
    public List<String> storedHeads() {
        return recordedByTool != null ? List.of() : heads;
    }

    /**
     * The applied migrations' records, oldest first: who applied each, when, how long it took and
     * the checksum it had. A revision applied without a record (stamped by an older tool) is listed
     * with its file only.
     */
    public List<AppliedRecord> history(StateStore store) {
        return history(store.appliedRecords());
    }

    /** As {@link #history(StateStore)}, of records read already. */
    public List<AppliedRecord> history(List<AppliedRecord> appliedRecords) {
        Map<String, AppliedRecord> records = appliedRecords.stream()
                .collect(Collectors.toMap(AppliedRecord::revision, Function.identity(), (a, b) -> a));
        List<AppliedRecord> history = new ArrayList<>();
        for (MigrationScript script : applied) {
            AppliedRecord record = records.get(script.revision());
            history.add(record != null ? record : unrecorded(script));
        }
        history.sort(Status::byAppliedAt);
        return history;
    }

    /** A revision applied (an ancestor of a stored head) with no record, e.g. after a stamp by an older tool. */
    private static AppliedRecord unrecorded(MigrationScript script) {
        return new AppliedRecord(script.revision(), null, script.fileName(), null, null, 0);
    }

    /** How many unapplied scripts {@link #parentsOfNewMigration} names before it says "and N more". */
    private static final int SHOWN = 5;

    /**
     * The head a new migration follows when the server is not asked: the graph's only head (none
     * for an empty folder).
     *
     * @throws FhirmigException USAGE when the graph has several heads
     */
    public static List<String> graphHead(MigrationSet migrations) {
        List<Revision> heads = migrations.graph().heads();
        if (heads.size() > 1) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "the migrations have " + heads.size()
                    + " heads (" + heads.stream().map(r -> r.id() + " (" + r.file() + ")").collect(Collectors.joining(", "))
                    + "): a new migration cannot follow them all; join them first with `fhirmig merge`");
        }
        return heads.stream().map(Revision::id).toList();
    }

    /**
     * The head a new migration follows: the server's, once everything is applied there. Like the
     * original tool, refuses while the server has a migration that is not applied yet.
     *
     * @throws FhirmigException USAGE while a migration is pending, naming it
     */
    public List<String> parentsOfNewMigration(MigrationSet migrations, String namespace) {
        if (!pending.isEmpty()) {
            String names = pending.stream().limit(SHOWN).map(MigrationScript::fileName)
                    .collect(Collectors.joining(", "))
                    + (pending.size() > SHOWN ? " and " + (pending.size() - SHOWN) + " more" : "");
            throw new FhirmigException(FhirmigException.Kind.USAGE, "the server has "
                    + (pending.size() == 1 ? "an unapplied migration" : pending.size() + " unapplied migrations")
                    + " in namespace '" + namespace + "': " + names, Remedy.UPGRADE_FIRST, null);
        }
        if (heads.size() > 1) {
            return graphHead(migrations);
        }
        return heads;
    }

    /** Records without a time (applied by a stamp) first, then by time; a plain method, see FhirStateStore.oldestFirst. */
    private static int byAppliedAt(AppliedRecord a, AppliedRecord b) {
        if (a.appliedAt() == null || b.appliedAt() == null) {
            return a.appliedAt() == null ? (b.appliedAt() == null ? 0 : -1) : 1;
        }
        return a.appliedAt().compareTo(b.appliedAt());
    }
}
