package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.MigrationResult;

final class StampCommand extends LockingCommand {

    String target;

    @Override
    CommandModel describe() {
        CommandModel model = CommandModel.of(this, "stamp",
                        "Mark TARGET as the applied head without running any migration.",
                        "Use it to adopt a server migrated by other means.")
                .positional("TARGET", "1", null, String.class, "What to mark applied: head, heads, base or a revision.",
                        () -> target, v -> target = v);
        return withJson(runOptions.addTo(model));
    }

    @Override
    boolean writesState() {
        return true;
    }

    @Override
    int run(Fhirmig fhirmig) {
        return stamp(fhirmig, target, this);
    }

    static int stamp(Fhirmig fhirmig, String target, SessionCommand command) {
        MigrationResult result = fhirmig.stamp(target);
        if (command.json) {
            command.printJson(result);
            return 0;
        }
        command.out().println("stamped: " + Formats.heads(result.headsAfter()) + " (was " + Formats.heads(result.headsBefore()) + ")");
        return 0;
    }
}
