package io.fhirmig.cli;

import io.fhirmig.api.BulkResult;
import io.fhirmig.api.DryRunReport;
import io.fhirmig.api.ServerText;
import java.io.PrintWriter;

/** A dry run as text: each step, its first writes with their first changes, and its bulk counts. */
final class DryRunText {

    static final int SHOWN_WRITES = 10;
    static final int SHOWN_CHANGES = 5;

    private final PrintWriter out;

    DryRunText(PrintWriter out) {
        this.out = out;
    }

    void print(DryRunReport report) {
        if (report.isEmpty()) {
            out.println("nothing to do");
            return;
        }
        long writes = report.steps().stream().mapToLong(DryRunReport.Step::writeCount).sum();
        out.println("dry run: would run " + report.steps().size() + " step(s), making " + writes
                + " write(s); nothing was written");
        for (DryRunReport.Step step : report.steps()) {
            out.println("  " + step.direction().name().toLowerCase() + "  " + Formats.shortId(step.revision()) + "  "
                    + step.file() + (step.description() == null ? "" : "  " + step.description()));
            for (BulkResult bulk : step.bulk()) {
                out.println("    " + bulk.operation() + (bulk.query() == null ? "" : " " + bulk.query()) + ": matched "
                        + bulk.matched() + ", would change " + bulk.changed() + ", skipped " + bulk.skipped());
            }
            int shown = 0;
            for (DryRunReport.Write write : step.writes()) {
                if (shown++ == SHOWN_WRITES) {
                    break;
                }
                out.println("    " + write.method() + " " + ServerText.clean(write.url()));
                int changes = 0;
                for (DryRunReport.Change change : write.changes()) {
                    if (changes++ == SHOWN_CHANGES) {
                        break;
                    }
                    out.println("      " + ServerText.clean(change.path()) + ": " + value(change.before()) + " -> "
                            + value(change.after()));
                }
                int more = write.changes().size() - Math.min(write.changes().size(), SHOWN_CHANGES) + write.moreChanges();
                if (more > 0) {
                    out.println("      ... and " + more + " more change(s)");
                }
            }
            long notShown = step.writeCount() - Math.min(step.writes().size(), SHOWN_WRITES);
            if (step.writeCount() == 0) {
                out.println("    no writes");
            } else if (notShown > 0) {
                out.println("    ... and " + notShown + " more write(s) (--json lists the first "
                        + DryRunReport.Step.KEPT_WRITES + ")");
            }
        }
        out.println("head after: " + Formats.heads(report.headsAfter()));
    }

    private static String value(String json) {
        return json == null ? "(none)" : ServerText.clean(json);
    }
}
