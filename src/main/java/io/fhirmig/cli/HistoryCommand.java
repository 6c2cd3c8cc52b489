package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.History;
import io.fhirmig.api.MigrationInfo;
import io.fhirmig.api.PythonToolState;
import io.fhirmig.api.ServerText;

final class HistoryCommand extends SessionCommand {

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "history",
                        "List the applied migrations (who, when, how long, checksum), then the pending ones.")
                .flag("--json", JSON, () -> json, v -> json = v);
    }

    @Override
    boolean readsStateFirst() {
        return true;
    }

    @Override
    int run(Fhirmig fhirmig) {
        History history = fhirmig.history();
        warn(history.warnings());
        if (json) {
            printJson(history);
            return 0;
        }
        PythonToolState tool = history.pythonTool();
        String unrecorded = tool != null ? Formats.RECORDED_BY_TOOL : "(no record)";
        if (tool != null && history.applied().isEmpty()) {
            String revision = tool.revision();
            out().println("the Python tool recorded " + (revision == null ? "no revision" : revision
                    + ", declared by no script") + " on this server (" + ServerText.clean(tool.resource())
                    + "); run `fhirmig adopt`");
        }
        for (MigrationInfo applied : history.applied()) {
            // The record's fields come from the server: shown with their control characters escaped, cut.
            out().println(String.join("  ", "applied", ServerText.clean(Formats.shortId(applied.revision())),
                    applied.file() == null ? "(no file)" : ServerText.clean(applied.file()),
                    String.valueOf(applied.appliedAt() == null ? unrecorded : applied.appliedAt()),
                    applied.appliedBy() == null ? "" : ServerText.clean(applied.appliedBy()),
                    (applied.duration() == null ? 0 : applied.duration().toMillis()) + " ms",
                    applied.checksum() == null ? "" : ServerText.clean(applied.checksum()))
                    + (applied.adoptedFrom() != null ? "  (adopted from the Python tool, "
                    + ServerText.clean(applied.adoptedFrom()) + ")" : ""));
        }
        for (MigrationInfo pending : history.pending()) {
            out().println(String.join("  ", "pending", Formats.shortId(pending.revision()), pending.file(),
                    pending.description() == null ? "" : pending.description()));
        }
        if (history.applied().isEmpty() && history.pending().isEmpty()) {
            out().println("no migrations");
        }
        return 0;
    }
}
