package io.fhirmig.cli;

import io.fhirmig.fhir.FhirConnection;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;

/**
 * Starts, on a second thread, what nearly every command needs and the main thread would otherwise
 * wait for one after the other: the logging configuration, and for the commands that run scripts the
 * FHIR model and parser (the state itself is read and written as JSON text, without them). The main
 * thread meanwhile parses the command line and reads the migrations; on a two-core machine that
 * takes a fifth off a short command. Not for {@code --version}, {@code --help} and {@code serve}.
 */
final class WarmUp {

    /** Need none of it, or (serve) have a FHIR context of their own and need both cores for Spring. */
    private static final Set<String> WITHOUT_WARM_UP = Set.of("--version", "-V", "--help", "-h", "help", "serve");
    /** Run scripts, which mostly use the FHIR model. */
    private static final Set<String> RUNNING_SCRIPTS = Set.of("upgrade", "downgrade");
    private static volatile CountDownLatch logging;
    /** Levels chosen on the command line while the configuration was still loading; set by {@link #awaitLogging}. */
    private static Runnable pendingLevels;

    private WarmUp() {}

    static void start(String... args) {
        for (String arg : args) {
            if (WITHOUT_WARM_UP.contains(arg)) {
                return;
            }
        }
        String command = Commands.guessNamed(args);
        boolean withFhirModel = command != null && RUNNING_SCRIPTS.contains(command);
        CountDownLatch started = new CountDownLatch(1);
        logging = started;
        Thread thread = new Thread(() -> run(started, withFhirModel), "fhirmig-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Sets the log levels now, or, while the warm-up thread is still configuring logging, when
     * {@link #awaitLogging} is next called: a level set while Log4j is still reading its configuration
     * would be lost when the configuration lands (so -q would not quiet the run). Main thread only,
     * like {@link #awaitLogging}.
     */
    static void setLevels(Runnable levels) {
        CountDownLatch started = logging;
        if (started == null || started.getCount() == 0) {
            levels.run();
        } else {
            pendingLevels = levels;
        }
    }

    /**
     * Waits until the warm-up thread has configured logging, and sets the levels the command line
     * chose. Called on the main thread before its first log line; work that logs nothing it may not
     * lose (reading the migrations logs only at debug) can start before.
     */
    static void awaitLogging() {
        CountDownLatch started = logging;
        if (started != null) {
            try {
                started.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runnable levels = pendingLevels;
        if (levels != null) {
            pendingLevels = null;
            levels.run();
        }
    }

    private static void run(CountDownLatch loggingStarted, boolean fhirModel) {
        try {
            try {
                LogManager.getContext(false);
            } finally {
                loggingStarted.countDown();
            }
            if (fhirModel) {
                FhirConnection.warmUp();
            }
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: whatever failed here fails again, and is reported, where it is used.
        }
    }
}
