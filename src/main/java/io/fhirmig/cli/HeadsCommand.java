package io.fhirmig.cli;

import io.fhirmig.graph.Revision;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.script.MigrationScript;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

final class HeadsCommand extends SessionCommand {

    boolean json;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "heads",
                        "List the heads of the revision graph (several heads: a branch; join them with"
                                + " `fhirmig merge`).")
                .flag("--json", "Print JSON.", () -> json, v -> json = v);
    }

    @Override
    boolean readsStateFirst() {
        return true;
    }

    @Override
    int run(Session session) {
        // Only the stored heads are needed, read while the migrations load.
        List<String> stored = session.readState().heads();
        MigrationSet migrations = session.migrations();
        Set<String> applied = migrations.graph().appliedSet(stored);
        List<Map<String, Object>> heads = new ArrayList<>();
        for (Revision head : migrations.graph().heads()) {
            MigrationScript script = migrations.script(head.id());
            if (json) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("revision", head.id());
                entry.put("file", script.fileName());
                entry.put("applied", applied.contains(head.id()));
                heads.add(entry);
            } else {
                out().println(head.id() + "  " + script.fileName() + (applied.contains(head.id()) ? "  (applied)" : "  (pending)"));
            }
        }
        if (json) {
            printJson(Map.of("heads", heads));
        } else if (migrations.graph().heads().size() > 1) {
            out().println(migrations.graph().heads().size() + " heads: join them with `fhirmig merge`");
        }
        return 0;
    }
}
