package io.fhirmig.cli;

import io.fhirmig.graph.Target;
import io.fhirmig.run.Maintenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stamp", mixinStandardHelpOptions = true,
        description = {"Mark TARGET as the applied head without running any migration.",
            "TARGET: head, heads, base or a revision. Use it to adopt a server migrated by other means."})
final class StampCommand extends SessionCommand {

    @Parameters(paramLabel = "TARGET")
    String target;

    @Mixin
    RunCommandOptions runOptions;

    @Override
    int run(Session session) {
        return stamp(session, Target.parse(target), runOptions, this);
    }

    static int stamp(Session session, Target target, RunCommandOptions runOptions, SessionCommand command) {
        Maintenance.StampResult result = session.workspace()
                .maintenance(runOptions.toRunOptions()).stamp(target);
        command.out().println("stamped: " + (result.headsAfter().isEmpty() ? "base" : String.join(", ", result.headsAfter()))
                + " (was " + (result.headsBefore().isEmpty() ? "base" : String.join(", ", result.headsBefore())) + ")");
        return 0;
    }
}
