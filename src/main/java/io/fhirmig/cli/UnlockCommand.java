package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.CurrentState;
import io.fhirmig.api.ServerText;
import java.util.Collections;
import java.util.Optional;

final class UnlockCommand extends SessionCommand {

    @Override
    CommandModel describe() {
        return withJson(CommandModel.of(this, "unlock",
                "Clear the lock left by a run that died. Make sure that run is really gone first."));
    }

    @Override
    int run(Fhirmig fhirmig) {
        Optional<CurrentState.Lock> cleared = fhirmig.unlock();
        if (json) {
            printJson(Collections.singletonMap("cleared", cleared));
            return 0;
        }
        out().println(cleared.map(lock -> "cleared the lock of " + ServerText.clean(lock.owner())
                + " (" + ServerText.clean(lock.step()) + ")").orElse("not locked"));
        return 0;
    }
}
