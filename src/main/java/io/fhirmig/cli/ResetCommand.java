package io.fhirmig.cli;

import io.fhirmig.graph.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Forget every applied migration without running any (= stamp base), as the original tool's reset.")
final class ResetCommand extends SessionCommand {

    @Mixin
    RunCommandOptions runOptions;

    @Override
    int run(Session session) {
        return StampCommand.stamp(session, Target.BASE, runOptions, this);
    }
}
