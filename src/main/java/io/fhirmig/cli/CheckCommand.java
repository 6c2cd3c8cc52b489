package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.CheckResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code check}: everything a CI job wants to know before a deploy, with a non-zero exit on any
 * problem (the exit code of the first problem's kind).
 */
final class CheckCommand extends SessionCommand {

    boolean offline;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "check",
                        "Check scripts, graph, server, checksums and lock; exit non-zero on any problem (for CI).",
                        "With --offline only the scripts and the graph are checked, and no server is contacted.")
                .flag("--offline", "Scripts and graph only; do not contact the server.", () -> offline, v -> offline = v)
                .flag("--json", JSON, () -> json, v -> json = v);
    }

    @Override
    boolean contactsServer() {
        return !offline;
    }

    @Override
    int run(Fhirmig fhirmig) {
        CheckResult result = fhirmig.check(offline);
        // A detail may quote a library error: worded for the command line.
        List<CheckResult.Check> checks = new ArrayList<>();
        for (CheckResult.Check check : result.checks()) {
            checks.add(new CheckResult.Check(check.name(), check.ok(), Remedies.translate(check.detail()), check.problem()));
        }
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("ok", result.ok());
            report.put("checks", checks);
            printJson(report);
        } else {
            for (CheckResult.Check check : checks) {
                // A detail may span lines (a list of problems); the server's text in it is escaped already.
                out().println((check.ok() ? "ok       " : "PROBLEM  ") + check.name() + ": " + check.detail());
            }
            out().flush();
        }
        return result.firstProblem().map(check -> check.problem().exitCode()).orElse(0);
    }
}
