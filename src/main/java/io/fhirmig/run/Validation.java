package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.ServerText;
import io.fhirmig.graph.RevisionGraph;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.InconsistentStateException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Refuses to run when an applied script was edited afterwards, as Flyway does: the server's data
 * was made by the old text, and running the new one elsewhere would make servers differ.
 */
public final class Validation {

    private final MigrationSet migrations;

    public Validation(MigrationSet migrations) {
        this.migrations = migrations;
    }

    /**
     * Also checks that every stored head is declared by a script (the graph says so otherwise), and
     * that the records and the heads agree ({@link #contradiction}): a run that trusted either alone
     * could apply a migration a second time.
     *
     * @throws InconsistentStateException when the records and the heads disagree
     */
    public void checkChecksums(Collection<AppliedRecord> records, List<String> heads) {
        Set<String> applied = migrations.graph().appliedSet(heads);
        String contradiction = contradiction(records, heads, applied);
        if (contradiction != null) {
            throw new InconsistentStateException(contradiction, null);
        }
        checkChecksums(records, applied);
    }

    /** Only the checksums, of records already known to agree with the heads. */
    public void checkChecksumsOnly(Collection<AppliedRecord> records, List<String> heads) {
        checkChecksums(records, migrations.graph().appliedSet(heads));
    }

    /**
     * What is wrong when the records and the heads disagree, with the repair, or null when they
     * agree. The heads say what is applied: every ancestor of a head, the head included. Each applied
     * revision has one record, written in the same transaction as the heads that include it, and
     * removed in the same transaction as the heads that stop including it, so in a state fhirmig made
     * (any version of it: stamp writes records too) the two name exactly the same revisions.
     *
     * @throws FhirmigException (INVALID_MIGRATIONS) when a head is declared by no script
     */
    public String contradiction(Collection<AppliedRecord> records, List<String> heads) {
        return contradiction(records, heads, migrations.graph().appliedSet(heads));
    }

    private String contradiction(Collection<AppliedRecord> records, List<String> heads, Set<String> applied) {
        Set<String> recorded = new HashSet<>(records.size() * 2);
        List<String> notApplied = new ArrayList<>();
        for (AppliedRecord record : records) {
            if (recorded.add(record.revision()) && !applied.contains(record.revision())) {
                notApplied.add(record.revision());
            }
        }
        if (notApplied.isEmpty() && recorded.size() >= applied.size()) {
            return null;
        }
        List<String> unrecorded = applied.stream().filter(revision -> !recorded.contains(revision)).toList();
        if (notApplied.isEmpty() && unrecorded.isEmpty()) {
            return null;
        }
        RevisionGraph graph = migrations.graph();
        List<String> problems = new ArrayList<>();
        String stored = heads.isEmpty() ? "base" : ServerText.list(heads, NAMED);
        if (!notApplied.isEmpty()) {
            notApplied.sort(null);
            problems.add(heads.isEmpty()
                    ? "no head is stored (it says base: nothing applied, or no state resource was found) but there"
                            + " are applied records for " + names(notApplied)
                    : "there are applied records for " + names(notApplied) + ", which the stored head(s) " + stored
                            + " do not include");
        }
        if (!unrecorded.isEmpty()) {
            problems.add("the stored head(s) " + stored + " include " + names(unrecorded) + ", which "
                    + (unrecorded.size() == 1 ? "has" : "have") + " no applied record");
        }
        Set<String> recordedKnown = new HashSet<>();
        for (String revision : recorded) {
            if (graph.contains(revision)) {
                recordedKnown.add(revision);
            }
        }
        List<String> recordedHeads = graph.headsOf(recordedKnown);
        String stampRecords = recordedHeads.isEmpty() ? "`fhirmig stamp base`"
                : recordedHeads.size() == 1 ? "`fhirmig stamp " + recordedHeads.get(0) + "`"
                : "`fhirmig stamp REV` (the records name several heads: " + String.join(", ", recordedHeads) + ")";
        return "the migration state on the server contradicts itself: " + String.join("; and ", problems)
                + ". Nothing was run, since either could make a migration run twice. If the records are right,"
                + " " + stampRecords + " sets the head to match them; if the head" + (heads.size() == 1 ? " is" : "s are")
                + " right, `fhirmig repair` makes the records match " + (heads.size() == 1 ? "it" : "them");
    }

    private static final int NAMED = 5;

    private static String names(List<String> revisions) {
        return ServerText.list(revisions, NAMED);
    }

    private void checkChecksums(Collection<AppliedRecord> records, Set<String> applied) {
        List<String> problems = new ArrayList<>();
        for (AppliedRecord record : mismatches(records, applied)) {
            MigrationScript script = migrations.script(record.revision());
            problems.add(script.fileName() + " (revision " + record.revision() + ") was edited after it was applied"
                    + " (server " + record.checksum() + ", file " + script.checksum() + ")");
        }
        if (!problems.isEmpty()) {
            throw new FhirmigException(FhirmigException.Kind.INVALID_MIGRATIONS,
                    String.join("; ", problems) + ". Restore the applied text, or run `fhirmig repair` to accept"
                            + " the edited scripts as applied");
        }
    }

    /** Applied records whose script's checksum differs now. */
    List<AppliedRecord> mismatches(Collection<AppliedRecord> records, Set<String> applied) {
        List<AppliedRecord> result = new ArrayList<>();
        for (AppliedRecord record : records) {
            if (!applied.contains(record.revision()) || !migrations.graph().contains(record.revision())) {
                continue;
            }
            MigrationScript script = migrations.script(record.revision());
            if (!script.checksum().equals(record.checksum())) {
                result.add(record);
            }
        }
        result.sort((a, b) -> a.revision().compareTo(b.revision()));
        return result;
    }
}
