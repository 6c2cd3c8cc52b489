package io.fhirmig.cli;

import io.fhirmig.state.AppliedRecord;
import java.util.List;

final class RepairCommand extends SessionCommand {

    final RunCommandOptions runOptions = new RunCommandOptions();

    @Override
    CommandModel describe() {
        return runOptions.addTo(CommandModel.of(this, "repair",
                "Accept the current text of edited applied scripts (their records take the new checksums)."));
    }

    @Override
    int run(Session session) {
        List<AppliedRecord> repaired = session.workspace().maintenance(runOptions.toRunOptions(top.environment)).repair();
        if (repaired.isEmpty()) {
            out().println("nothing to repair");
        }
        for (AppliedRecord record : repaired) {
            out().println("accepted " + record.file() + " (" + record.revision() + ") as " + record.checksum());
        }
        return 0;
    }
}
