package io.fhirmig.cli;

import io.fhirmig.api.ServerText;
import io.fhirmig.Fhirmig;
import io.fhirmig.api.StoppedRun;
import java.io.PrintStream;
import java.util.List;
import sun.misc.Signal;

/**
 * What happens when the process is ended from outside a command's own return: SIGINT and SIGTERM, or
 * a script that calls {@code System.exit}. A run under way is stopped cleanly first (nothing more
 * sent, the steps that succeeded committed, the lock released) and one line says where it stopped.
 */
final class ProcessExits {

    /** Set when {@link Main} itself exits: the runs are over, and the exit code is the command's. */
    private static volatile boolean exiting;

    private ProcessExits() {
    }

    /** Installs the signal handlers and the shutdown hook; once, by {@link Main#main}. */
    static void install() {
        handle("INT", 130);
        handle("TERM", 143);
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessExits::onExit, "fhirmig-exit"));
    }

    /** Main's own exit: nothing to stop. */
    static void exit(int code) {
        exiting = true;
        System.exit(code);
    }

    private static void handle(String name, int code) {
        try {
            Signal.handle(new Signal(name), signal -> {
                report(Fhirmig.stopRunsInProgress("fhirmig was stopped by SIG" + name), "stopped by SIG" + name);
                exit(code);
            });
        } catch (IllegalArgumentException e) {
            // The signal is not available here (or the JVM uses it itself): the default stays.
        }
    }

    /** Runs when the JVM shuts down: if a run is still under way, a script ended the process. */
    private static void onExit() {
        if (exiting) {
            return;
        }
        List<StoppedRun> stopped = Fhirmig.stopRunsInProgress("a script called System.exit");
        if (!stopped.isEmpty()) {
            report(stopped, "a script called System.exit");
            // The script's exit code (often 0) would say the run succeeded: the step failed.
            Runtime.getRuntime().halt(1);
        }
    }

    private static void report(List<StoppedRun> stopped, String why) {
        PrintStream err = System.err;
        for (StoppedRun run : stopped) {
            String head = run.heads().isEmpty() ? "base" : ServerText.list(run.heads(), 5);
            err.println("error: " + why + " during " + run.step() + "; the lock is released and the head stays at "
                    + head + ". That step is not recorded: unless it is transactional, it may have written part of"
                    + " its data, so make it safe to re-run before running again");
        }
        err.flush();
    }
}
