package io.fhirmig.cli;

import io.fhirmig.run.Maintenance;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LegacyToolState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class AdoptCommand extends SessionCommand {

    boolean dryRun;

    boolean json;

    final RunCommandOptions runOptions = new RunCommandOptions();

    @Override
    CommandModel describe() {
        CommandModel model = CommandModel.of(this, "adopt",
                        "Take over the Python tool's state: record the revision it applied, and its ancestors, as applied.",
                        "Nothing runs, and the tool's resource stays as it is. The tool's resource id: MIGRATION_RESOURCE_ID,"
                                + " legacyResourceId.")
                .flag("--dry-run", "Print what would be recorded; change nothing.", () -> dryRun, v -> dryRun = v)
                .flag("--json", "Print JSON.", () -> json, v -> json = v);
        return runOptions.addTo(model);
    }

    @Override
    int run(Session session) {
        Maintenance.AdoptResult result = session.workspace().maintenance(runOptions.toRunOptions(top)).adopt(dryRun);
        LegacyToolState.Recorded tool = result.tool();
        if (json) {
            Map<String, Object> toolJson = new LinkedHashMap<>();
            toolJson.put("resource", "Basic/" + tool.resourceId());
            toolJson.put("identifier", tool.identifier());
            toolJson.put("revision", tool.revision());
            toolJson.put("lastUpdated", tool.lastUpdated() == null ? null : tool.lastUpdated().toString());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("namespace", session.store().namespace());
            out.put("pythonTool", toolJson);
            out.put("dryRun", result.dryRun());
            out.put("alreadyAdopted", result.alreadyAdopted());
            out.put("heads", result.headsAfter());
            out.put("recorded", result.records().stream().map(Formats::recordJson).toList());
            printJson(out);
            return 0;
        }
        String source = "the Python tool's state (Basic/" + tool.resourceId() + ", " + tool.identifier()
                + (tool.lastUpdated() == null ? "" : ", last updated " + tool.lastUpdated()) + ")";
        if (result.alreadyAdopted()) {
            out().println("already adopted: namespace '" + session.store().namespace() + "' took over " + tool.revision()
                    + " from " + source + "; nothing to do");
            return 0;
        }
        List<AppliedRecord> records = result.records();
        out().println((result.dryRun() ? "would adopt " : "adopted ") + source + ": " + tool.revision()
                + (result.dryRun() ? " would be" : " is") + " the head, with " + records.size()
                + " migration(s) recorded as applied:");
        for (AppliedRecord record : records) {
            out().println("  " + Formats.shortId(record.revision()) + "  " + record.file());
        }
        out().println(result.dryRun() ? "dry run: nothing was changed" : "next: `fhirmig upgrade` runs the ones after it");
        return 0;
    }
}
