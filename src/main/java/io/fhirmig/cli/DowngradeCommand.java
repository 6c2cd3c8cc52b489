package io.fhirmig.cli;

import io.fhirmig.api.Direction;

final class DowngradeCommand extends MigrateCommand {

    String target;

    @Override
    CommandModel describe() {
        return withRunOptions(CommandModel.of(this, "downgrade",
                        "Revert applied migrations down to TARGET (which stays applied), children before parents.")
                .positional("TARGET", "0..1", "-1", String.class,
                        "Where to go: -1 (default: one step), -N, a revision or unique prefix, or base (revert"
                                + " everything).",
                        () -> target, v -> target = v));
    }

    @Override
    Direction direction() {
        return Direction.DOWNGRADE;
    }

    @Override
    String target() {
        return target;
    }
}
