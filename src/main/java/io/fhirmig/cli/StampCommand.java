package io.fhirmig.cli;

import io.fhirmig.graph.Target;
import io.fhirmig.run.Maintenance;

final class StampCommand extends SessionCommand {

    String target;

    final RunCommandOptions runOptions = new RunCommandOptions();

    @Override
    CommandModel describe() {
        CommandModel model = CommandModel.of(this, "stamp",
                        "Mark TARGET as the applied head without running any migration.",
                        "Use it to adopt a server migrated by other means.")
                .positional("TARGET", "1", null, String.class, "What to mark applied: head, heads, base or a revision.",
                        () -> target, v -> target = v);
        return runOptions.addTo(model);
    }

    @Override
    boolean writesState() {
        return true;
    }

    @Override
    int run(Session session) {
        return stamp(session, Target.parse(target), runOptions, this);
    }

    static int stamp(Session session, Target target, RunCommandOptions runOptions, SessionCommand command) {
        Maintenance.StampResult result = session.workspace()
                .maintenance(runOptions.toRunOptions(command.top)).stamp(target);
        command.out().println("stamped: " + (result.headsAfter().isEmpty() ? "base" : String.join(", ", result.headsAfter()))
                + " (was " + (result.headsBefore().isEmpty() ? "base" : String.join(", ", result.headsBefore())) + ")");
        return 0;
    }
}
