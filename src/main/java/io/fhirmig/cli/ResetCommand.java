package io.fhirmig.cli;

import io.fhirmig.graph.Target;

final class ResetCommand extends SessionCommand {

    final RunCommandOptions runOptions = new RunCommandOptions();

    @Override
    CommandModel describe() {
        return runOptions.addTo(CommandModel.of(this, "reset",
                "Forget every applied migration without running any (= stamp base), as the original tool's reset."));
    }

    @Override
    int run(Session session) {
        return StampCommand.stamp(session, Target.BASE, runOptions, this);
    }
}
