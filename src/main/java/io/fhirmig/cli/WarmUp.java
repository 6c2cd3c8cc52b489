package io.fhirmig.cli;

import io.fhirmig.fhir.FhirConnection;
import java.util.Set;
import org.apache.logging.log4j.LogManager;

/**
 * Starts, on a second thread, what nearly every command needs and the main thread would otherwise
 * wait for one after the other: the logging configuration and the FHIR model and parser. The main
 * thread meanwhile parses the command line and reads the migrations; on a two-core machine that
 * takes a fifth off a short command. Not for {@code --version} and {@code --help}, which need none
 * of it.
 */
final class WarmUp {

    private static final Set<String> WITHOUT_WARM_UP = Set.of("--version", "-V", "--help", "-h", "help");

    private WarmUp() {}

    static void start(String... args) {
        for (String arg : args) {
            if (WITHOUT_WARM_UP.contains(arg)) {
                return;
            }
        }
        Thread thread = new Thread(WarmUp::run, "fhirmig-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            LogManager.getContext(false);
            FhirConnection.warmUp();
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: whatever failed here fails again, and is reported, where it is used.
        }
    }
}
