package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.FhirmigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * For a command that starts by reading the state of a server ({@code current}, {@code history},
 * {@code heads}, {@code show}): connects and reads the state and the migrations on a thread of their
 * own while the command line is parsed, when the command line names none of the settings they depend
 * on: on a remote server, or on the background embedded server when it runs (a server is never
 * started this early). The command takes them only if its resolved settings are the same, and
 * otherwise closes them and connects itself, so a guess is never trusted.
 */
final class EarlyReading {

    /** Options that change where and how the server is reached, or what is logged while it is. */
    private static final List<String> CONNECTION_OPTIONS = List.of("--url", "--namespace", "--token-file",
            "--ca-file", "--header", "--connect-timeout", "--read-timeout", "-q", "--quiet", "--versions", "--config");

    private static final List<String> HELP_OR_VERSION = List.of("-h", "--help", "-V", "--version");

    private static EarlyRead started;

    /**
     * @param opening the library read ahead; null in it when the background embedded server does not run
     * @param notice the line that says which embedded server it uses, printed when it is taken
     */
    private record EarlyRead(Settings settings, CompletableFuture<Fhirmig> opening, StringWriter notice) {}

    private EarlyReading() {}

    /** Starts the reading when the arguments name such a command and none of the settings it depends on. */
    static synchronized void start(Map<String, String> environment, String... args) {
        String command = Commands.guessNamed(args);
        if (command == null || !Commands.readsStateFirst(command)) {
            return;
        }
        for (String arg : args) {
            // -v: reading logs at debug, which is lost before logging is configured (see WarmUp).
            // Help and version run no command, and must not reach the server.
            if (arg.equals("--verbose") || isShortOptionsWithV(arg) || HELP_OR_VERSION.contains(arg)) {
                return;
            }
        }
        if (!namesNone(CONNECTION_OPTIONS, args)) {
            return;
        }
        try {
            FhirmigCommand defaults = new FhirmigCommand();
            defaults.environment = environment;
            Settings settings = defaults.settings();
            if (opensEarly(settings)) {
                StringWriter notice = new StringWriter();
                started = new EarlyRead(settings, openInBackground(settings, notice), notice);
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
     * Whether the state may be read before logging is configured: not on a server started in this
     * process (its start logs), but on a remote one or on the background embedded server when it runs.
     */
    static boolean opensEarly(Settings settings) {
        return !settings.embedded() || settings.backgroundEmbedded();
    }

    private static CompletableFuture<Fhirmig> openInBackground(Settings settings, StringWriter notice) {
        CompletableFuture<Fhirmig> opening = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                Fhirmig.Builder builder = settings.builder(settings.embeddedData());
                if (settings.embedded() && !EmbeddedEndpoint.configureRunning(builder, settings, new PrintWriter(notice))) {
                    // Not running: the command starts it, and says so itself.
                    opening.complete(null);
                    return;
                }
                Fhirmig fhirmig = builder.load();
                SessionCommand.prefetch(fhirmig);
                opening.complete(fhirmig);
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }, "fhirmig-early-reading");
        thread.setDaemon(true);
        thread.start();
        return opening;
    }

    /**
     * {@return the library opened and read ahead for the same settings, or null} Taken once; one read
     * for other settings is closed. A failure to open it or read the state is thrown here, as the
     * command's own attempt with the same settings would have thrown it. Which embedded server it uses
     * is said on {@code err}.
     */
    static Fhirmig take(Settings settings, PrintWriter err) {
        EarlyRead early;
        synchronized (EarlyReading.class) {
            early = started;
            started = null;
        }
        if (early == null) {
            return null;
        }
        if (!sameSettings(early.settings(), settings)) {
            early.opening().thenAccept(fhirmig -> {
                if (fhirmig != null) {
                    fhirmig.close();
                }
            });
            return null;
        }
        try {
            Fhirmig opened = early.opening().get();
            if (opened != null) {
                err.print(early.notice());
                err.flush();
            }
            return opened;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new FhirmigException(FhirmigException.Kind.SERVER, String.valueOf(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirmigException(FhirmigException.Kind.SERVER, "interrupted while reading the state", e);
        }
    }

    /**
     * Whether two settings configure the same library: field by field, as a record's own equals is
     * linked on its first call (invokedynamic), 50 ms of a short command's main thread for these.
     */
    static boolean sameSettings(Settings a, Settings b) {
        return b != null && a.url().equals(b.url()) && a.namespace().equals(b.namespace())
                && a.versions().equals(b.versions()) && Objects.equals(a.cache(), b.cache())
                && a.templates().equals(b.templates()) && a.templatesConfigured() == b.templatesConfigured()
                && a.connectTimeout().equals(b.connectTimeout()) && a.readTimeout().equals(b.readTimeout())
                && Objects.equals(a.legacyResourceId(), b.legacyResourceId())
                && a.embeddedData().equals(b.embeddedData()) && a.embeddedIdle().equals(b.embeddedIdle())
                && Objects.equals(a.security().caFile(), b.security().caFile())
                && a.security().headers().equals(b.security().headers())
                && a.security().credentials().equals(b.security().credentials());
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
}
