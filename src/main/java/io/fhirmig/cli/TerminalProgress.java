package io.fhirmig.cli;

import io.fhirmig.api.ProgressListener;
import io.fhirmig.api.ProgressListener;
import java.io.PrintStream;
import org.apache.logging.log4j.LogManager;

/**
 * A one-line progress bar on standard error for long bulk operations: count, rate, and the ETA when
 * the total is known. It draws only on a terminal and when the console shows INFO (not under
 * {@code -q}), unless the script asks otherwise; at most five times a second, and clears its line
 * when done.
 */
final class TerminalProgress implements ProgressListener {

    private static final long INTERVAL_NS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public boolean wants(Boolean forced) {
        if (forced != null) {
            return forced;
        }
        return System.console() != null && LogManager.getLogger("io.fhirmig").isInfoEnabled();
    }

    @Override
    public Progress started(String label, long total) {
        return new Bar(label, total);
    }

    private final class Bar implements Progress {
        private final String label;
        private final long total;
        private final long started = System.nanoTime();
        private long lastDrawn;
        private boolean drawn;

        Bar(String label, long total) {
            this.label = label;
            this.total = total;
        }

        @Override
        public synchronized void update(long done) {
            long now = System.nanoTime();
            if (drawn && now - lastDrawn < INTERVAL_NS) {
                return;
            }
            lastDrawn = now;
            drawn = true;
            double seconds = Math.max((now - started) / 1e9, 1e-3);
            double rate = done / seconds;
            StringBuilder line = new StringBuilder("\r").append(label).append(' ');
            if (total > 0) {
                int filled = (int) Math.min(WIDTH, done * WIDTH / total);
                line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ")
                        .append(done).append('/').append(total);
                if (rate > 0 && done < total) {
                    long eta = (long) ((total - done) / rate);
                    line.append(String.format("  %.0f/s  ETA %d:%02d", rate, eta / 60, eta % 60));
                } else {
                    line.append(String.format("  %.0f/s", rate));
                }
            } else {
                line.append(done).append(String.format("  %.0f/s", rate));
            }
            line.append("   ");
            out.print(line);
            out.flush();
        }

        @Override
        public synchronized void close() {
            if (drawn) {
                out.print("\r" + " ".repeat(label.length() + WIDTH + 60) + "\r");
                out.flush();
            }
        }
    }
}
