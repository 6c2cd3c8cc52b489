package io.fhirmig.startup;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Starts, on a second thread, what a command that runs scripts needs and the main thread would
 * otherwise wait for: Log4j (its API looks for its providers on the whole class path; its
 * configuration is read here because scripts write log lines). The main thread meanwhile parses the
 * command line and reads the migrations. The FHIR model is started later, and only for scripts that
 * may use it (see {@code run.FhirModelHeadStart}). Not for {@code --version}, {@code --help} and {@code
 * serve}; and not for the other commands when the lazy logging is installed: they need none of it (the
 * SLF4J binding, {@link LazySlf4jProvider}, does not start Log4j's API either).
 */
public final class WarmUp {

    /** Need none of it, or (serve) have a FHIR context of their own and need both cores for Spring. */
    private static final Set<String> WITHOUT_WARM_UP = Set.of("--version", "-V", "--help", "-h", "help", "serve");
    /** Run scripts, which write log lines. */
    private static final Set<String> RUNNING_SCRIPTS = Set.of("upgrade", "downgrade");
    /** How long to wait for another thread that is configuring logging; far more than it ever takes. */
    private static final Duration CONFIGURING = Duration.ofSeconds(30);
    private static volatile CountDownLatch logging;
    /** Levels chosen on the command line while the configuration was still loading; set by {@link #awaitLogging}. */
    private static Runnable pendingLevels;

    private WarmUp() {}

    /**
     * Starts the warm-up for a command line.
     *
     * @param command the command the arguments seem to name, or null
     */
    public static void start(String command, String... args) {
        for (String arg : args) {
            if (WITHOUT_WARM_UP.contains(arg)) {
                return;
            }
        }
        boolean runsScripts = command != null && RUNNING_SCRIPTS.contains(command);
        if (!runsScripts && LazyLoggerContextFactory.installed()) {
            // Nothing to start ahead: these commands write log lines only on a failure, and with the
            // lazy context (and its SLF4J binding) they never need Log4j's LogManager, whose start
            // looks through all 172 jars (a fifth of a second of CPU on the machine's other core).
            return;
        }
        CountDownLatch started = new CountDownLatch(1);
        logging = started;
        Thread thread = new Thread(() -> run(started, runsScripts), "fhirmig-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Sets the log levels now, or, while the warm-up thread is still configuring logging, when
     * {@link #awaitLogging} is next called: a level set while Log4j is still reading its configuration
     * would be lost when the configuration lands (so -q would not quiet the run). Main thread only,
     * like {@link #awaitLogging}.
     */
    public static void setLevels(Runnable levels) {
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
    public static void awaitLogging() {
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

    /**
     * Waits until a logging context has read its configuration. {@code LogManager.getContext}
     * returns at once, the configuration not yet read, when another thread is already starting Log4j
     * (Log4j's start gives up on a lock another thread holds): here the thread that reads the
     * migrations, whose classes log too, can be the first to start it. Levels set before the
     * configuration lands are lost with it, and -q did not quiet the run.
     *
     * @return whether the context is started; false if it was not within the time given, or is not
     *     Log4j's own
     */
    static boolean awaitStarted(org.apache.logging.log4j.spi.LoggerContext context, Duration within) {
        if (!(context instanceof LoggerContext log4j)) {
            return false;
        }
        long deadline = System.nanoTime() + within.toNanos();
        while (!log4j.isStarted()) {
            if (System.nanoTime() - deadline >= 0 || log4j.isStopped()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    private static void run(CountDownLatch loggingStarted, boolean runsScripts) {
        try {
            try {
                org.apache.logging.log4j.spi.LoggerContext context = LogManager.getContext(false);
                if (context instanceof LazyLoggerContext lazy) {
                    // Commands that run scripts write log lines; the others may write none.
                    if (runsScripts) {
                        lazy.log4j();
                    }
                } else {
                    awaitStarted(context, CONFIGURING);
                }
            } finally {
                loggingStarted.countDown();
            }
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: whatever failed here fails again, and is reported, where it is used.
        }
    }
}
