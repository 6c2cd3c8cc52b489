package io.fhirmig.cli;

import io.fhirmig.util.ServerText;
import io.fhirmig.run.Status;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class HistoryCommand extends SessionCommand {

    boolean json;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "history",
                        "List the applied migrations (who, when, how long, checksum), then the pending ones.")
                .flag("--json", "Print JSON.", () -> json, v -> json = v);
    }

    @Override
    boolean readsStateFirst() {
        return true;
    }

    @Override
    int run(Session session) {
        Status status = Status.read(session::migrations, () -> session.readStateShowingProblems(err()),
                session.workspace().adoption());
        List<AppliedRecord> applied = status.history(session.appliedRecordsShowingProblems(status.storedHeads(), err()));
        if (json) {
            List<Map<String, Object>> pending = new ArrayList<>();
            for (MigrationScript script : status.pending()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("revision", script.revision());
                entry.put("file", script.fileName());
                entry.put("description", script.description());
                pending.add(entry);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("applied", applied.stream().map(Formats::recordJson).toList());
            result.put("pending", pending);
            if (status.recordedByTool() != null) {
                result.put("recordedByPythonTool", Formats.toolJson(status.recordedByTool()));
            }
            printJson(result);
            return 0;
        }
        String unrecorded = status.recordedByTool() != null ? Formats.RECORDED_BY_TOOL : "(no record)";
        if (status.recordedByTool() != null && status.heads().isEmpty()) {
            String revision = status.recordedByTool().revision();
            out().println("the Python tool recorded " + (revision == null ? "no revision" : revision
                    + ", declared by no script") + " on this server (Basic/" + status.recordedByTool().resourceId()
                    + "); run `fhirmig adopt`");
        }
        for (AppliedRecord record : applied) {
            // The record's fields come from the server: shown with their control characters escaped, cut.
            out().println(String.join("  ", "applied", ServerText.clean(Formats.shortId(record.revision())),
                    ServerText.clean(record.file()),
                    String.valueOf(record.appliedAt() == null ? unrecorded : record.appliedAt()),
                    record.appliedBy() == null ? "" : ServerText.clean(record.appliedBy()),
                    record.durationMs() + " ms", record.checksum() == null ? "" : ServerText.clean(record.checksum()))
                    + (record.adopted() ? "  (adopted from the Python tool, Basic/" + ServerText.clean(record.adoptedFrom())
                    + ")" : ""));
        }
        for (MigrationScript script : status.pending()) {
            out().println(String.join("  ", "pending", Formats.shortId(script.revision()), script.fileName(),
                    script.description() == null ? "" : script.description()));
        }
        if (applied.isEmpty() && status.pending().isEmpty()) {
            out().println("no migrations");
        }
        return 0;
    }
}
