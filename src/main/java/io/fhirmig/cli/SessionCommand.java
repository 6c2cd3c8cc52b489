package io.fhirmig.cli;

import io.fhirmig.startup.WarmUp;
import io.fhirmig.Fhirmig;
import java.util.List;

/**
 * A command that works through the library: it resolves the settings into the library's builder,
 * calls one of its methods in {@link #run(Fhirmig)} and formats the result.
 */
abstract class SessionCommand extends Subcommand {

    @Override
    public final Integer call() {
        Settings settings = top.settings();
        if (writesState()) {
            settings = EmbeddedNotice.confirm(settings, top.terminal, err(), spec.name());
        }
        if (settings.embedded() && contactsServer()) {
            EmbeddedNotice.print(settings, err());
        }
        // Until logging is configured (on another thread, see WarmUp), only what logs nothing it may not
        // lose runs: for a command that starts by reading the state of a server that is not an embedded
        // one started in this process (whose start logs), connecting and reading it. With -v all of it
        // waits, since it logs at debug.
        if (!top.verbose() && readsStateFirst() && (!settings.embedded() || settings.backgroundEmbedded())) {
            try (Fhirmig fhirmig = open(settings)) {
                // The state is read while the migrations load on another thread.
                fhirmig.prefetch();
                WarmUp.awaitLogging();
                return run(fhirmig);
            }
        }
        WarmUp.awaitLogging();
        try (Fhirmig fhirmig = open(settings)) {
            return run(fhirmig);
        }
    }

    /** The library configured from the settings and this command's options; says so when it is the embedded server. */
    private Fhirmig open(Settings settings) {
        Fhirmig.Builder builder = settings.builder(settings.embeddedData());
        if (settings.embedded() && contactsServer()) {
            EmbeddedEndpoint.configure(builder, settings, err());
        }
        return configure(builder).load();
    }

    /** Sets this command's own options on the builder. */
    Fhirmig.Builder configure(Fhirmig.Builder builder) {
        return builder;
    }

    /** Whether the command contacts the server (for the embedded server's notice). */
    boolean contactsServer() {
        return true;
    }

    /** Whether {@link #run} starts by reading the server's state, which may then be read ahead. */
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

    abstract int run(Fhirmig fhirmig);

    /** Warnings of a result, on standard error. */
    void warn(List<String> warnings) {
        for (String warning : warnings) {
            err().println("warning: " + warning);
        }
        err().flush();
    }
}
