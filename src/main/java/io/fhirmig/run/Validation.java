package io.fhirmig.run;

import io.fhirmig.FhirmigException;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import java.util.ArrayList;
import java.util.Collection;
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

    /** Also checks that every stored head is declared by a script (the graph says so otherwise). */
    public void checkChecksums(Collection<AppliedRecord> records, List<String> heads) {
        Set<String> applied = migrations.graph().appliedSet(heads);
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
