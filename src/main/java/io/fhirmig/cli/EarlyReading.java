package io.fhirmig.cli;

import io.fhirmig.fhir.auth.Authentication;
import io.fhirmig.run.Futures;
import io.fhirmig.run.MigrationSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Starts reading the migrations before the command line is parsed: parsing (picocli builds the
 * command's model by reflection) takes a good part of a short command, and reading thousands of
 * scripts need not wait for it when the two settings it depends on, the versions folder and the
 * cache, cannot come from the command line. The command takes the reading only if its resolved
 * settings name the same folder and cache; otherwise it reads again, so a guess is never trusted.
 *
 * <p>For a command that starts by reading the state of a server ({@code current}, {@code history},
 * {@code heads}, {@code show}), the connection is opened and the state read too, on a thread of
 * their own, when the command line names none of the settings they depend on: the command takes
 * them only if its resolved settings are the same for them, and otherwise closes them and connects
 * itself.
 */
final class EarlyReading {

    /** Options that change where and how the server is reached, or what is logged while it is. */
    private static final List<String> CONNECTION_OPTIONS = List.of("--url", "--namespace", "--token-file",
            "--ca-file", "--header", "--connect-timeout", "--read-timeout", "-q", "--quiet");

    private static final List<String> HELP_OR_VERSION = List.of("-h", "--help", "-V", "--version");

    private static Started started;
    private static EarlySession session;

    private record Started(Path versions, Path cache, CompletableFuture<MigrationSet> reading) {}

    /** @param notice the line that says which embedded server the session uses, printed when it is taken */
    private record EarlySession(Settings settings, CompletableFuture<Session> opening, StringWriter notice) {}

    private EarlyReading() {}

    /** Starts the reading when the arguments name a session command and leave both settings alone. */
    static synchronized void start(Map<String, String> environment, String... args) {
        String command = Commands.guessNamed(args);
        if (command == null || !Commands.usesSession(command)) {
            return;
        }
        for (String arg : args) {
            // -v: reading logs at debug, which is lost before logging is configured (see WarmUp).
            // Help and version run no command, and must not reach the server.
            if (arg.startsWith("--versions") || arg.startsWith("--config") || arg.equals("--verbose")
                    || isShortOptionsWithV(arg) || HELP_OR_VERSION.contains(arg)) {
                return;
            }
        }
        try {
            FhirmigCommand defaults = new FhirmigCommand();
            defaults.environment = environment;
            Settings settings = defaults.settings();
            CompletableFuture<MigrationSet> reading = Session.startReading(settings);
            started = new Started(settings.versions(), settings.cache(), reading);
            if (opensEarly(settings) && Commands.readsStateFirst(command) && namesNone(CONNECTION_OPTIONS, args)) {
                StringWriter notice = new StringWriter();
                session = new EarlySession(settings, openInBackground(settings, reading, notice), notice);
            }
        } catch (RuntimeException e) {
            // The command resolves its settings again and reports what is wrong with them.
        }
    }

    private static boolean namesNone(List<String> options, String... args) {
        for (String arg : args) {
            for (String option : options) {
                if (arg.equals(option) || arg.startsWith(option + "=")) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether a session may be opened before logging is configured: not on a server started in this
     * process (its start logs), but on a remote one or the background embedded server when it runs
     * (its notice is kept until the session is taken; a server is never started this early).
     */
    static boolean opensEarly(Settings settings) {
        return !settings.embedded() || settings.backgroundEmbedded();
    }

    private static CompletableFuture<Session> openInBackground(Settings settings, CompletableFuture<MigrationSet> reading,
            StringWriter notice) {
        CompletableFuture<Session> opening = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                opening.complete(Session.openRunningReadingState(settings, new PrintWriter(notice), reading));
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }, "fhirmig-early-session");
        thread.setDaemon(true);
        thread.start();
        return opening;
    }

    /**
     * Whether a session opened with one set of settings is the one the other opens: the same server,
     * namespace, security, migrations and cache. Compared field by field: a record's own equals is
     * linked on its first call (invokedynamic), 50 ms of a short command's main thread for these.
     */
    static boolean sameForSession(Settings a, Settings b) {
        return b != null && a.url().equals(b.url()) && a.namespace().equals(b.namespace())
                && a.versions().equals(b.versions()) && Objects.equals(a.cache(), b.cache())
                && a.connectTimeout().equals(b.connectTimeout()) && a.readTimeout().equals(b.readTimeout())
                && Objects.equals(a.security().caFile(), b.security().caFile())
                && a.security().headers().equals(b.security().headers())
                && (a.security().authentication() instanceof Authentication.None
                        ? b.security().authentication() instanceof Authentication.None
                        : a.security().authentication().equals(b.security().authentication()));
    }

    /**
     * {@return the session opened and read ahead for the same settings (see {@link #sameForSession}),
     * or null} Taken once; an early session for other settings is closed. A failure to open it or read
     * the state is thrown here, as the command's own attempt with the same settings would have thrown
     * it.
     */
    static Session takeSession(Settings settings) {
        return takeSession(settings, new PrintWriter(Writer.nullWriter()));
    }

    /** As {@link #takeSession(Settings)}, printing on {@code err} the line that says which embedded server it uses. */
    static Session takeSession(Settings settings, PrintWriter err) {
        EarlySession early;
        synchronized (EarlyReading.class) {
            early = session;
            session = null;
        }
        if (early == null) {
            return null;
        }
        if (!sameForSession(early.settings(), settings)) {
            early.opening().thenAccept(Session::close);
            return null;
        }
        Session opened = Futures.join(early.opening());
        if (opened == null) {
            // The embedded server was not running: the command starts it, and says so itself.
            return null;
        }
        err.print(early.notice());
        err.flush();
        return opened;
    }

    /**
     * {@return whether the argument is short options that include -v, as -v or -qv} By hand: the first
     * regular expression of a process costs its main thread 20 ms.
     */
    static boolean isShortOptionsWithV(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        boolean v = false;
        for (int i = 1; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
            v |= c == 'v';
        }
        return v;
    }

    /** {@return the reading started for exactly these settings, or null} Taken once. */
    static synchronized CompletableFuture<MigrationSet> take(Settings settings) {
        Started early = started;
        started = null;
        if (early != null && early.versions().equals(settings.versions()) && Objects.equals(early.cache(), settings.cache())) {
            return early.reading();
        }
        return null;
    }
}
