package io.fhirmig.cli;

import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.Status;
import io.fhirmig.script.MigrationScript;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class CurrentCommand extends SessionCommand {

    boolean json;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "current", "Show the applied head(s) of this namespace on the server.")
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
        MigrationSet migrations = session.migrations();
        // The records too, though the heads alone answer: a head that the records contradict is the
        // one thing worth a warning here (with the cache, reading them is a small request).
        session.appliedRecordsShowingProblems(status.storedHeads(), err());
        if (json) {
            List<Map<String, Object>> heads = new ArrayList<>();
            for (String head : status.heads()) {
                MigrationScript script = migrations.script(head);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("revision", head);
                entry.put("file", script.fileName());
                entry.put("description", script.description());
                entry.put("isGraphHead", status.graphHeads().contains(head));
                heads.add(entry);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("namespace", session.store().namespace());
            result.put("heads", heads);
            result.put("pending", status.pending().size());
            result.put("lock", Formats.lockJson(status.lock()));
            if (status.recordedByTool() != null) {
                result.put("recordedByPythonTool", Formats.toolJson(status.recordedByTool()));
            }
            printJson(result);
            return 0;
        }
        if (status.recordedByTool() != null && status.heads().isEmpty()) {
            // A tool's resource with no revision, or one no script declares: shown as it is.
            String revision = status.recordedByTool().revision();
            out().println((revision == null ? "no revision" : revision + "  (declared by no script in "
                    + migrations.versionsDir() + ")") + "  " + Formats.RECORDED_BY_TOOL);
        } else if (status.heads().isEmpty()) {
            out().println("base (nothing applied)");
        }
        for (String head : status.heads()) {
            MigrationScript script = migrations.script(head);
            out().println(head + (status.graphHeads().contains(head) ? " (head)" : "") + "  " + script.fileName()
                    + (status.recordedByTool() != null ? "  " + Formats.RECORDED_BY_TOOL : ""));
        }
        if (!status.pending().isEmpty()) {
            out().println(status.pending().size() + " pending; run `fhirmig "
                    + (status.recordedByTool() != null ? "adopt`, then `fhirmig " : "") + "upgrade`");
        }
        if (status.lock() != null) {
            out().println(Formats.lockLine(status.lock()));
        }
        return 0;
    }
}
