package io.fhirmig.cli;

import groovy.json.JsonOutput;
import io.fhirmig.FhirmigException;
import io.fhirmig.graph.Revision;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.Status;
import io.fhirmig.run.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code check}: everything a CI job wants to know before a deploy, with a non-zero exit on any
 * problem (the exit code of the first problem's kind).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check scripts, graph, server, checksums and lock; exit non-zero on any problem (for CI).",
            "With --offline only the scripts and the graph are checked, and no server is contacted."})
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    FhirmigCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--offline", description = "Scripts and graph only; do not contact the server.")
    boolean offline;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    private record Check(String name, boolean ok, String detail, int exitCode) {
    }

    @Override
    public Integer call() {
        Settings settings = top.settings();
        List<Check> checks = new ArrayList<>();
        MigrationSet migrations = null;
        try {
            migrations = MigrationSet.load(settings.versions());
            List<Revision> heads = migrations.graph().heads();
            checks.add(new Check("migrations", true, migrations.graph().revisions().size() + " migration(s), "
                    + heads.size() + " head(s)" + (heads.size() > 1 ? " (a branch: join with `fhirmig merge`)" : ""), 0));
        } catch (FhirmigException e) {
            checks.add(new Check("migrations", false, e.getMessage(), e.kind().exitCode()));
        }
        if (!offline && migrations != null) {
            checkServer(settings, migrations, checks);
        }
        return report(checks);
    }

    private void checkServer(Settings settings, MigrationSet migrations, List<Check> checks) {
        try (Session session = Session.open(settings, spec.commandLine().getErr())) {
            Status status;
            try {
                status = Status.read(migrations, session.store());
                checks.add(new Check("server", true, session.serverName() + " reachable; applied head(s): "
                        + (status.heads().isEmpty() ? "base" : String.join(", ", status.heads()))
                        + "; " + status.pending().size() + " pending", 0));
            } catch (FhirmigException e) {
                checks.add(new Check("server", false, e.getMessage(), e.kind().exitCode()));
                return;
            }
            try {
                new Validation(migrations).checkChecksums(session.store().appliedRecords(), status.heads());
                checks.add(new Check("checksums", true, "no applied script was edited", 0));
            } catch (FhirmigException e) {
                checks.add(new Check("checksums", false, e.getMessage(), e.kind().exitCode()));
            }
            if (status.lock() == null) {
                checks.add(new Check("lock", true, "free", 0));
            } else if (status.lock().expiredAt(Instant.now())) {
                checks.add(new Check("lock", true, "free (a lapsed lock of " + status.lock().owner() + " remains)", 0));
            } else {
                checks.add(new Check("lock", false, Formats.lockLine(status.lock()), FhirmigException.Kind.CONCURRENT.exitCode()));
            }
        } catch (FhirmigException e) {
            checks.add(new Check("server", false, e.getMessage(), e.kind().exitCode()));
        }
    }

    private int report(List<Check> checks) {
        var out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Check check : checks) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("check", check.name());
                row.put("ok", check.ok());
                row.put("detail", check.detail());
                rows.add(row);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ok", checks.stream().allMatch(Check::ok));
            result.put("checks", rows);
            out.println(JsonOutput.prettyPrint(JsonOutput.toJson(result)));
        } else {
            for (Check check : checks) {
                out.println((check.ok() ? "ok       " : "PROBLEM  ") + check.name() + ": " + check.detail());
            }
        }
        out.flush();
        return checks.stream().filter(c -> !c.ok()).mapToInt(Check::exitCode).findFirst().orElse(0);
    }
}
