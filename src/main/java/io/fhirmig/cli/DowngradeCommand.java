package io.fhirmig.cli;

import io.fhirmig.graph.Direction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "downgrade", mixinStandardHelpOptions = true,
        description = {"Revert applied migrations down to TARGET (which stays applied), children before parents.",
            "TARGET: -1 (default: one step), -N, a revision or unique prefix, or base (revert everything)."})
final class DowngradeCommand extends MigrateCommand {

    @Parameters(arity = "0..1", paramLabel = "TARGET", defaultValue = "-1")
    String target;

    @Override
    Direction direction() {
        return Direction.DOWNGRADE;
    }

    @Override
    String target() {
        return target;
    }
}
