package io.fhirmig.cli;

import io.fhirmig.run.JsonText;
import io.fhirmig.run.MigrationSet;
import java.util.concurrent.CompletableFuture;

/** A command that works with the migrations and the server; subclasses implement {@link #run(Session)}. */
abstract class SessionCommand extends Subcommand {

    @Override
    public final Integer call() {
        Settings settings = top.settings();
        if (writesState()) {
            settings = EmbeddedNotice.confirm(settings, top.terminal, err(), spec.name());
        }
        // Until logging is configured (on another thread, see WarmUp), only what logs nothing it may
        // not lose runs: reading the migrations (started before the command line was parsed, when it
        // could be), and for a command that starts by reading the state of a server that is not the
        // embedded one (whose start logs), connecting and reading it. With -v all of it waits, since
        // it logs at debug.
        boolean early = !top.verbose();
        CompletableFuture<MigrationSet> migrations = EarlyReading.take(settings);
        if (migrations == null && early) {
            migrations = Session.startReading(settings);
        }
        if (early && readsStateFirst() && !settings.embedded()) {
            Session opened = EarlyReading.takeSession(settings);
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

    /**
     * Whether this command changes the state on the server: with no project and no server given, it
     * asks on a terminal before it writes to an embedded server nobody chose ({@link EmbeddedNotice}).
     */
    boolean writesState() {
        return false;
    }

    abstract int run(Session session);

    void printJson(Object value) {
        out().println(JsonText.pretty(value));
        out().flush();
    }
}
