package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.AdoptResult;
import io.fhirmig.api.MigrationInfo;
import io.fhirmig.api.PythonToolState;

final class AdoptCommand extends LockingCommand {

    boolean dryRun;

    @Override
    CommandModel describe() {
        CommandModel model = CommandModel.of(this, "adopt",
                        "Take over the Python tool's state: record the revision it applied, and its ancestors, as applied.",
                        "Nothing runs, and the tool's resource stays as it is. The tool's resource id: MIGRATION_RESOURCE_ID,"
                                + " legacyResourceId.")
                .flag("--dry-run", "Print what would be recorded; change nothing.", () -> dryRun, v -> dryRun = v)
                .flag("--json", JSON, () -> json, v -> json = v);
        return runOptions.addTo(model);
    }

    @Override
    int run(Fhirmig fhirmig) {
        AdoptResult result = fhirmig.adopt(dryRun);
        if (json) {
            printJson(result);
            return 0;
        }
        PythonToolState tool = result.pythonTool();
        String source = "the Python tool's state (" + tool.resource() + ", " + tool.identifier()
                + (tool.lastUpdated() == null ? "" : ", last updated " + tool.lastUpdated()) + ")";
        if (result.alreadyAdopted()) {
            out().println("already adopted: namespace '" + result.namespace() + "' took over " + tool.revision()
                    + " from " + source + "; nothing to do");
            return 0;
        }
        out().println((result.dryRun() ? "would adopt " : "adopted ") + source + ": " + tool.revision()
                + (result.dryRun() ? " would be" : " is") + " the head, with " + result.recorded().size()
                + " migration(s) recorded as applied:");
        for (MigrationInfo record : result.recorded()) {
            out().println("  " + Formats.shortId(record.revision()) + "  " + record.file());
        }
        out().println(result.dryRun() ? "dry run: nothing was changed" : "next: `fhirmig upgrade` runs the ones after it");
        return 0;
    }
}
