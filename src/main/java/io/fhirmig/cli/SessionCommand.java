package io.fhirmig.cli;

import io.fhirmig.run.JsonText;
import io.fhirmig.run.MigrationSet;
import java.util.concurrent.CompletableFuture;

/** A command that works with the migrations and the server; subclasses implement {@link #run(Session)}. */
abstract class SessionCommand extends Subcommand {

    @Override
    public final Integer call() {
        Settings settings = top.settings();
        // Until logging is configured (on another thread, see WarmUp), only what logs nothing it may
        // not lose runs: reading the migrations (started before the command line was parsed, when it
        // could be), and for a command that starts by reading the state of a server that is not an
        // embedded one started in this process (whose start logs), connecting and reading it. With -v all of it waits, since
        // it logs at debug. The background embedded server's start happens in another process.
        boolean early = !top.verbose();
        CompletableFuture<MigrationSet> migrations = EarlyReading.take(settings);
        if (migrations == null && early) {
            migrations = Session.startReading(settings);
        }
        if (early && readsStateFirst() && EarlyReading.opensEarly(settings)) {
            Session opened = EarlyReading.takeSession(settings, err());
            if (opened == null) {
                opened = Session.openReadingState(settings, err(), migrations);
            }
            try (Session session = opened) {
                WarmUp.awaitLogging();
                return run(session);
            }
        }
        WarmUp.awaitLogging();
        if (migrations == null) {
            migrations = Session.startReading(settings);
        }
        try (Session session = Session.open(settings, err(), migrations)) {
            return run(session);
        }
    }

    /** Whether {@link #run} starts with {@link Session#readState()}, which may then be read ahead. */
    boolean readsStateFirst() {
        return false;
    }

    abstract int run(Session session);

    void printJson(Object value) {
        out().println(JsonText.pretty(value));
        out().flush();
    }
}
