package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.MigrationInfo;
import io.fhirmig.api.RepairResult;
import io.fhirmig.api.ServerText;

final class RepairCommand extends LockingCommand {

    @Override
    CommandModel describe() {
        return withJson(runOptions.addTo(CommandModel.of(this, "repair",
                "Make the applied records match the heads: accept edited applied scripts' new checksums, forget records"
                        + " of revisions not applied, write missing ones.")));
    }

    @Override
    int run(Fhirmig fhirmig) {
        RepairResult repaired = fhirmig.repair();
        if (json) {
            printJson(repaired);
            return 0;
        }
        if (repaired.nothingToRepair()) {
            out().println("nothing to repair");
        }
        for (MigrationInfo record : repaired.accepted()) {
            out().println("accepted " + ServerText.clean(record.file()) + " (" + ServerText.clean(record.revision()) + ") as "
                    + record.checksum());
        }
        for (String revision : repaired.forgotten()) {
            out().println("forgot the record of " + revision + ": the head does not include it");
        }
        for (MigrationInfo record : repaired.written()) {
            out().println("wrote the missing record of " + record.file() + " (" + record.revision() + ")");
        }
        return 0;
    }
}
