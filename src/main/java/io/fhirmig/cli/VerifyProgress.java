package io.fhirmig.cli;

import io.fhirmig.api.VerifyListener;
import io.fhirmig.api.VerifyReport;
import io.fhirmig.api.ServerText;
import java.io.PrintStream;
import java.io.PrintWriter;
import org.apache.logging.log4j.LogManager;

/**
 * What {@code verify} shows while it runs: a line per migration and check as each migration finishes,
 * with the first differences of a failure; and, on a terminal, a spinner on standard error naming the
 * step that runs.
 */
final class VerifyProgress implements VerifyListener, AutoCloseable {

    private static final String FRAMES = "|/-\\";
    private static final long FRAME_MS = 120;

    private final PrintWriter lines;
    private final PrintStream terminal;
    private final boolean spinning;
    private Thread spinner;
    private String step;
    private long stepStarted;
    private boolean drawn;

    /**
     * @param lines where the lines per migration go
     * @param terminal where the spinner is drawn, if it is a terminal
     */
    VerifyProgress(PrintWriter lines, PrintStream terminal) {
        this(lines, terminal, System.console() != null && LogManager.getLogger("io.fhirmig").isInfoEnabled());
    }

    /** @param spinning whether to draw the spinner (on a terminal, unless {@code -q}) */
    VerifyProgress(PrintWriter lines, PrintStream terminal, boolean spinning) {
        this.lines = lines;
        this.terminal = terminal;
        this.spinning = spinning;
    }

    @Override
    public synchronized void stepStarted(String file, String what) {
        step = file + "  " + what;
        stepStarted = System.nanoTime();
        if (spinning && spinner == null) {
            spinner = new Thread(this::spin, "fhirmig-verify-spinner");
            spinner.setDaemon(true);
            spinner.start();
        }
    }

    @Override
    public synchronized void stepEnded() {
        step = null;
        clear();
    }

    @Override
    public synchronized void revisionDone(VerifyReport.RevisionResult result) {
        clear();
        boolean first = true;
        for (VerifyReport.Check check : result.checks()) {
            lines.println((check.ok() ? "ok    " : "FAIL  ") + result.file() + "  " + check.name()
                    + (check.error() == null ? "" : ": " + ServerText.clean(check.error(), 2000))
                    + (first && check.error() == null ? "  (upgrade() changes " + result.changed() + " resource(s))" : ""));
            first = false;
            for (VerifyReport.Difference difference : check.differences()) {
                lines.println("        " + ServerText.clean(difference.resource(), 200) + "  "
                        + (difference.path().isEmpty() ? "(the resource)" : ServerText.clean(difference.path(), 200))
                        + ": " + value(difference.before()) + " -> " + value(difference.after()));
            }
            if (check.moreDifferences() > 0) {
                lines.println("        ... and " + check.moreDifferences() + " more difference(s)");
            }
        }
        lines.flush();
    }

    private static String value(String json) {
        return json == null ? "(none)" : ServerText.clean(json, 200);
    }

    private void spin() {
        int frame = 0;
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                if (step != null) {
                    long seconds = (System.nanoTime() - stepStarted) / 1_000_000_000L;
                    terminal.print("\r" + FRAMES.charAt(frame++ % FRAMES.length()) + " " + step + "  " + seconds + " s   ");
                    terminal.flush();
                    drawn = true;
                }
            }
            try {
                Thread.sleep(FRAME_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Clears the spinner's line, so that a line printed next starts clean. */
    private void clear() {
        if (drawn) {
            terminal.print("\r\033[K");
            terminal.flush();
            drawn = false;
        }
    }

    @Override
    public synchronized void close() {
        if (spinner != null) {
            spinner.interrupt();
        }
        clear();
    }
}
