package io.fhirmig.cli;

import io.fhirmig.Fhirmig;


final class ResetCommand extends LockingCommand {

    @Override
    CommandModel describe() {
        return withJson(runOptions.addTo(CommandModel.of(this, "reset",
                "Forget every applied migration without running any (= stamp base), as the original tool's reset.")));
    }

    @Override
    int run(Fhirmig fhirmig) {
        return StampCommand.stamp(fhirmig, "base", this);
    }
}
