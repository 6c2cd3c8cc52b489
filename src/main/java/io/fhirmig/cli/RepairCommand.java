package io.fhirmig.cli;

import io.fhirmig.state.AppliedRecord;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Accept the current text of edited applied scripts (their records take the new checksums).")
final class RepairCommand extends SessionCommand {

    @Mixin
    RunCommandOptions runOptions;

    @Override
    int run(Session session) {
        List<AppliedRecord> repaired = session.workspace().maintenance(runOptions.toRunOptions()).repair();
        if (repaired.isEmpty()) {
            out().println("nothing to repair");
        }
        for (AppliedRecord record : repaired) {
            out().println("accepted " + record.file() + " (" + record.revision() + ") as " + record.checksum());
        }
        return 0;
    }
}
