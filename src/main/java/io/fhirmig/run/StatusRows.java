package io.fhirmig.run;

import io.fhirmig.api.MigrationStatus;
import io.fhirmig.api.MigrationStatus.State;
import io.fhirmig.graph.Revision;
import io.fhirmig.graph.RevisionGraph;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rows of the status view, worked out from the scripts, the heads stored on the server and the
 * applied records, without asking the server anything. Unlike a run, it accepts a state whose head no
 * script declares (its file deleted after it was applied): that head is shown as missing, and the
 * records, which name every applied revision, say what else is applied.
 */
final class StatusRows {

    private StatusRows() {}

    /**
     * {@return the rows: the applied migrations in the order they were applied, then the pending ones in
     * the order an upgrade would apply them}
     *
     * @param migrations the scripts
     * @param heads the applied heads stored on the server, those no script declares included
     * @param records the applied records (none for a state the Python tool recorded)
     */
    static List<MigrationStatus> of(MigrationSet migrations, List<String> heads, List<AppliedRecord> records) {
        RevisionGraph graph = migrations.graph();
        Map<String, AppliedRecord> byRevision = new LinkedHashMap<>(records.size() * 2);
        for (AppliedRecord record : records) {
            byRevision.putIfAbsent(record.revision(), record);
        }
        List<String> unknownHeads = unknownHeads(migrations, heads);
        Set<String> applied = unknownHeads.isEmpty() ? graph.appliedSet(heads) : appliedByRecords(graph, heads, records);

        List<AppliedRecord> appliedRecords = new ArrayList<>();
        for (String revision : applied) {
            AppliedRecord record = byRevision.get(revision);
            appliedRecords.add(record != null ? record : unrecorded(revision, migrations));
        }
        for (AppliedRecord record : byRevision.values()) {
            if (!graph.contains(record.revision())) {
                appliedRecords.add(record);
            }
        }
        // Stable: revisions applied at the same instant (a stamp) keep the graph's order.
        appliedRecords.sort(StatusRows::byAppliedAt);
        List<MigrationStatus> rows = new ArrayList<>();
        for (AppliedRecord record : appliedRecords) {
            rows.add(applied(record, migrations, byRevision.containsKey(record.revision())));
        }
        for (String head : unknownHeads) {
            if (!byRevision.containsKey(head)) {
                rows.add(new MigrationStatus(State.MISSING, head, null, null, null, null, null, null, null, null));
            }
        }
        for (Revision revision : graph.revisions()) {
            if (!applied.contains(revision.id())) {
                MigrationScript script = migrations.script(revision.id());
                rows.add(new MigrationStatus(State.PENDING, script.revision(), script.fileName(), script.description(),
                        null, null, null, script.checksum(), script.checksum(), null));
            }
        }
        return rows;
    }

    /** {@return the stored heads that no script declares, in their order} */
    static List<String> unknownHeads(MigrationSet migrations, List<String> heads) {
        return heads.stream().filter(head -> !migrations.graph().contains(head)).distinct().toList();
    }

    /**
     * With a head no script declares, its ancestors cannot be walked: the revisions the records name
     * (and theirs) stand for them, with those of the heads that are declared.
     */
    private static Set<String> appliedByRecords(RevisionGraph graph, List<String> heads, List<AppliedRecord> records) {
        Set<String> tops = new LinkedHashSet<>();
        for (String head : heads) {
            if (graph.contains(head)) {
                tops.add(head);
            }
        }
        for (AppliedRecord record : records) {
            if (graph.contains(record.revision())) {
                tops.add(record.revision());
            }
        }
        return graph.appliedSet(tops);
    }

    private static MigrationStatus applied(AppliedRecord record, MigrationSet migrations, boolean recorded) {
        boolean declared = migrations.graph().contains(record.revision());
        MigrationScript script = declared ? migrations.script(record.revision()) : null;
        State state = !declared ? State.MISSING
                : recorded && !Objects.equals(record.checksum(), script.checksum()) ? State.EDITED
                : State.APPLIED;
        return new MigrationStatus(state, record.revision(), declared ? script.fileName() : record.file(),
                declared ? script.description() : null, record.appliedAt(), record.appliedBy(),
                recorded ? Duration.ofMillis(record.durationMs()) : null, record.checksum(),
                declared ? script.checksum() : null, record.adopted() ? "Basic/" + record.adoptedFrom() : null);
    }

    /** A revision applied (an ancestor of a stored head) with no record, e.g. after a stamp by an older tool. */
    private static AppliedRecord unrecorded(String revision, MigrationSet migrations) {
        return new AppliedRecord(revision, null, migrations.script(revision).fileName(), null, null, 0);
    }

    /** Records without a time (applied by a stamp of an older tool) first, then by time, as the history. */
    private static int byAppliedAt(AppliedRecord a, AppliedRecord b) {
        if (a.appliedAt() == null || b.appliedAt() == null) {
            return a.appliedAt() == null ? (b.appliedAt() == null ? 0 : -1) : 1;
        }
        return a.appliedAt().compareTo(b.appliedAt());
    }
}
