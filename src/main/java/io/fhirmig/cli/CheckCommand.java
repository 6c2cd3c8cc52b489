package io.fhirmig.cli;

import io.fhirmig.api.CheckResult;
import io.fhirmig.run.JsonText;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.run.Checks;
import io.fhirmig.run.MigrationSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code check}: everything a CI job wants to know before a deploy, with a non-zero exit on any
 * problem (the exit code of the first problem's kind).
 */
final class CheckCommand extends Subcommand {

    boolean offline;

    boolean json;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "check",
                        "Check scripts, graph, server, checksums and lock; exit non-zero on any problem (for CI).",
                        "With --offline only the scripts and the graph are checked, and no server is contacted.")
                .flag("--offline", "Scripts and graph only; do not contact the server.", () -> offline, v -> offline = v)
                .flag("--json", "Print JSON.", () -> json, v -> json = v);
    }

    @Override
    public Integer call() {
        Settings settings = top.settings();
        List<CheckResult.Check> checks = new ArrayList<>();
        MigrationSet migrations = Checks.migrations(settings.versions(), settings.scriptCache(), checks);
        if (!offline && migrations != null) {
            try (Session session = Session.open(settings, err(), migrations)) {
                Checks.server(migrations, session.store(), session.serverName(), checks);
            } catch (FhirmigException e) {
                checks.add(Checks.failed("server", e));
            }
        }
        return report(checks);
    }

    private int report(List<CheckResult.Check> checks) {
        var out = out();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (CheckResult.Check check : checks) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("check", check.name());
                row.put("ok", check.ok());
                row.put("detail", Remedies.translate(check.detail()));
                rows.add(row);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ok", checks.stream().allMatch(CheckResult.Check::ok));
            result.put("checks", rows);
            out.println(JsonText.pretty(result));
        } else {
            for (CheckResult.Check check : checks) {
                // A detail may span lines (a list of problems); the server's text in it is escaped already.
                out.println((check.ok() ? "ok       " : "PROBLEM  ") + check.name() + ": " + Remedies.translate(check.detail()));
            }
        }
        out.flush();
        return checks.stream().filter(c -> !c.ok()).mapToInt(c -> c.problem().exitCode()).findFirst().orElse(0);
    }
}
