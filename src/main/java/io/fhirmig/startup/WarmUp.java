package io.fhirmig.startup;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Configures Log4j on a second thread while the main one parses the command line, when a
 * configuration named with {@code -Dlog4j2.configurationFile} replaces the lazy logging; and holds
 * the levels the command line chose until that configuration has landed. With the lazy logging (the
 * launcher's default) nothing starts ahead: Log4j starts on the first line written. Not for {@code
 * --version}, {@code --help} and {@code serve}.
 */
public final class WarmUp {

    /** Need none of it, or (serve) have a FHIR context of their own and need both cores for Spring. */
    private static final Set<String> WITHOUT_WARM_UP = Set.of("--version", "-V", "--help", "-h", "help", "serve");
    /** How long to wait for another thread that is configuring logging; far more than it ever takes. */
    private static final Duration CONFIGURING = Duration.ofSeconds(30);
    private static volatile CountDownLatch logging;
    /** Levels chosen on the command line while the configuration was still loading; set by {@link #awaitLogging}. */
    private static Runnable pendingLevels;

    private WarmUp() {}

    /**
     * Starts the warm-up for a command line.
     *
     * @param args the command line
     */
    public static void start(String... args) {
        for (String arg : args) {
            if (WITHOUT_WARM_UP.contains(arg)) {
                return;
            }
        }
        if (LazyLoggerContextFactory.installed()) {
            // Nothing to start ahead: Log4j's LogManager, whose start looks through every jar, starts
            // when a line is first written. Starting it, and the FHIR model, ahead for upgrade and
            // downgrade costs more than it saves (docs/performance.md).
            return;
        }
        CountDownLatch started = new CountDownLatch(1);
        logging = started;
        Thread thread = new Thread(() -> run(started), "fhirmig-warm-up");
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

    private static void run(CountDownLatch loggingStarted) {
        try {
            awaitStarted(LogManager.getContext(false), CONFIGURING);
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: whatever failed here fails again, and is reported, where it is used.
        } finally {
            loggingStarted.countDown();
        }
    }
}
