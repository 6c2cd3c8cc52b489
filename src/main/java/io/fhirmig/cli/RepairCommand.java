package io.fhirmig.cli;

import io.fhirmig.util.ServerText;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.run.Maintenance;

final class RepairCommand extends SessionCommand {

    final RunCommandOptions runOptions = new RunCommandOptions();

    @Override
    CommandModel describe() {
        return runOptions.addTo(CommandModel.of(this, "repair",
                "Make the applied records match the heads: accept edited applied scripts' new checksums, forget records"
                        + " of revisions not applied, write missing ones."));
    }

    @Override
    int run(Session session) {
        Maintenance.RepairResult repaired = session.workspace().maintenance(runOptions.toRunOptions(top)).repair();
        if (repaired.accepted().isEmpty() && repaired.forgotten().isEmpty() && repaired.written().isEmpty()) {
            out().println("nothing to repair");
        }
        for (AppliedRecord record : repaired.accepted()) {
            out().println("accepted " + ServerText.clean(record.file()) + " (" + ServerText.clean(record.revision()) + ") as "
                    + record.checksum());
        }
        for (String revision : repaired.forgotten()) {
            out().println("forgot the record of " + revision + ": the head does not include it");
        }
        for (AppliedRecord record : repaired.written()) {
            out().println("wrote the missing record of " + record.file() + " (" + record.revision() + ")");
        }
        return 0;
    }
}
