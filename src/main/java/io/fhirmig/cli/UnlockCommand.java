package io.fhirmig.cli;

import io.fhirmig.util.ServerText;
import io.fhirmig.run.Maintenance;
import io.fhirmig.run.RunOptions;
import io.fhirmig.state.LockInfo;

final class UnlockCommand extends SessionCommand {

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "unlock",
                "Clear the lock left by a run that died. Make sure that run is really gone first.");
    }

    @Override
    int run(Session session) {
        LockInfo cleared = new Maintenance(session.migrations(), session.store(), session.audit(), session.identity(),
                RunOptions.defaults()).unlock();
        out().println(cleared == null ? "not locked" : "cleared the lock of " + ServerText.clean(cleared.owner())
                + " (" + ServerText.clean(cleared.step()) + ")");
        return 0;
    }
}
