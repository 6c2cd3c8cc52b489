package io.fhirmig.cli;

import io.fhirmig.api.Direction;

final class UpgradeCommand extends MigrateCommand {

    String target;

    @Override
    CommandModel describe() {
        return withRunOptions(CommandModel.of(this, "upgrade",
                        "Apply the migrations up to TARGET, parents before children, each committed with its record.")
                .positional("TARGET", "0..1", "head", String.class,
                        "Where to go: head (default), heads, a revision or unique prefix, or +N.",
                        () -> target, v -> target = v));
    }

    @Override
    Direction direction() {
        return Direction.UPGRADE;
    }

    @Override
    String target() {
        return target;
    }
}
