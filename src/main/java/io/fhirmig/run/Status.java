package io.fhirmig.run;

import io.fhirmig.FhirmigException;
import io.fhirmig.graph.Revision;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LockInfo;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;


/**
 * What is applied and what is pending, read from the server and the scripts: the answers of
 * {@code current}, {@code history} and {@code heads}.
 *
 * @param heads the applied heads stored on the server
 * @param lock the lock on the state, or null
 * @param applied the applied records, oldest first
 * @param pending the scripts not yet applied, in the order an upgrade to all heads would apply them
 * @param graphHeads the heads of the revision graph (several: a branch)
 */
public record Status(List<String> heads, LockInfo lock, List<AppliedRecord> applied, List<MigrationScript> pending,
        List<String> graphHeads) {

    public static Status read(MigrationSet migrations, StateStore store) {
        StateSnapshot state = store.read();
        Set<String> appliedSet = migrations.graph().appliedSet(state.heads());
        Map<String, AppliedRecord> records = store.appliedRecords().stream()
                .collect(Collectors.toMap(AppliedRecord::revision, Function.identity(), (a, b) -> a));
        List<AppliedRecord> applied = new ArrayList<>();
        List<MigrationScript> pending = new ArrayList<>();
        for (Revision revision : migrations.graph().revisions()) {
            if (appliedSet.contains(revision.id())) {
                AppliedRecord record = records.get(revision.id());
                applied.add(record != null ? record : unrecorded(migrations.script(revision.id())));
            } else {
                pending.add(migrations.script(revision.id()));
            }
        }
        applied.sort(Comparator.comparing(AppliedRecord::appliedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        return new Status(state.heads(), state.lock(), applied, pending,
                migrations.graph().heads().stream().map(Revision::id).toList());
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
                    + " in namespace '" + namespace + "': " + names + "; run `fhirmig upgrade` first"
                    + " (or use --offline to follow the graph's head without asking the server)");
        }
        if (heads.size() > 1) {
            return graphHead(migrations);
        }
        return heads;
    }
}
