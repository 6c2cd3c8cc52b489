package io.fhirmig.cli;

import io.fhirmig.graph.Direction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = {"Apply the migrations up to TARGET, parents before children, each committed with its record.",
            "TARGET: head (default), heads, a revision or unique prefix, or +N."})
final class UpgradeCommand extends MigrateCommand {

    @Parameters(arity = "0..1", paramLabel = "TARGET", defaultValue = "head")
    String target;

    @Override
    Direction direction() {
        return Direction.UPGRADE;
    }

    @Override
    String target() {
        return target;
    }
}
