package io.fhirmig.cli;

import io.fhirmig.run.MigrationSet;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Starts reading the migrations before the command line is parsed: parsing (picocli builds the
 * command's model by reflection) takes a good part of a short command, and reading thousands of
 * scripts need not wait for it when the two settings it depends on, the versions folder and the
 * cache, cannot come from the command line. The command takes the reading only if its resolved
 * settings name the same folder and cache; otherwise it reads again, so a guess is never trusted.
 */
final class EarlyReading {

    private static Started started;

    private record Started(Path versions, Path cache, CompletableFuture<MigrationSet> reading) {}

    private EarlyReading() {}

    /** Starts the reading when the arguments name a session command and leave both settings alone. */
    static synchronized void start(Map<String, String> environment, String... args) {
        String command = Commands.guessNamed(args);
        if (command == null || !Commands.usesSession(command)) {
            return;
        }
        for (String arg : args) {
            // -v: reading logs at debug, which is lost before logging is configured (see WarmUp).
            if (arg.startsWith("--versions") || arg.startsWith("--config") || arg.equals("--verbose")
                    || isShortOptionsWithV(arg)) {
                return;
            }
        }
        try {
            FhirmigCommand defaults = new FhirmigCommand();
            defaults.environment = environment;
            Settings settings = defaults.settings();
            started = new Started(settings.versions(), settings.cache(), Session.startReading(settings));
        } catch (RuntimeException e) {
            // The command resolves its settings again and reports what is wrong with them.
        }
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
