package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.VerifyOptions;
import io.fhirmig.api.VerifyReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code verify [REV_RANGE]}: proves on a scratch server that each migration is idempotent,
 * reversible and repeatable ({@link Fhirmig#verify(VerifyOptions)}); prints a line per migration and
 * check, the first differences of each failure, and exits 1 when any check fails.
 */
final class VerifyCommand extends Subcommand {

    String range;
    Path fixtures;
    boolean scratchOk;
    Map<String, String> parameters = new LinkedHashMap<>();

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "verify",
                        "Prove on a scratch server that each migration is idempotent, reversible and repeatable.",
                        "Loads the fixtures into a fresh in-memory FHIR server (never the configured one), then for"
                                + " each migration: upgrade() twice (the second must change nothing), downgrade() (the"
                                + " data must be as before), upgrade() again (as after the first). Exit 0 when every"
                                + " check passes, 1 when any fails, 3 for invalid migrations.")
                .positional("REV_RANGE", "0..1", null, String.class,
                        "Which migrations: REV, FROM:TO (both included), FROM: or :TO (default: all).",
                        () -> range, v -> range = v)
                .option("--fixtures", "DIR", Path.class,
                        "Folder of FHIR JSON files to load first: resources, or Bundles of type transaction, batch"
                                + " or collection. Also FHIRMIG_FIXTURES, fixtures (default: fixtures, if present).",
                        () -> fixtures, v -> fixtures = v)
                .flag("--scratch-ok", "Verify on the server named by --url instead of a fresh one: it is"
                        + " disposable, and is changed.", () -> scratchOk, v -> scratchOk = v)
                .repeatable(new String[] {"-p", "--param"}, "KEY=VALUE", Map.class,
                        new Class<?>[] {String.class, String.class}, false,
                        "A parameter for the scripts, seen as migration.parameters.KEY (repeatable).",
                        () -> parameters, v -> parameters = v)
                .flag("--json", "Print the report as JSON.", () -> json, v -> json = v);
    }

    @Override
    public Integer call() {
        Settings settings = top.settings();
        Fhirmig.Builder builder = Fhirmig.configure().versions(settings.versions()).namespace(settings.namespace())
                .parameters(parameters).connectTimeout(settings.connectTimeout()).readTimeout(settings.readTimeout());
        if (settings.cache() != null) {
            builder.cache(settings.cache());
        }
        String server = scratchServer(builder, settings);
        Path fixturesDir = new SettingsResolver(top.environment, top.workingDir).fixtures(top, fixtures);
        PrintWriter err = err();
        err.println("verifying on " + server + (fixturesDir == null ? ", without fixtures (no fixtures folder)"
                : ", with the fixtures of " + fixturesDir));
        err.flush();
        VerifyReport report;
        try (VerifyProgress progress = new VerifyProgress(json ? err : out(), System.err);
                Fhirmig fhirmig = builder.load()) {
            report = fhirmig.verify(VerifyOptions.defaults().range(range).fixtures(fixturesDir)
                    .onConfiguredServer(true).listener(progress));
        }
        if (json) {
            printJson(report);
        } else {
            printSummary(report);
        }
        return report.ok() ? 0 : 1;
    }

    /**
     * Points the builder at the scratch server: a fresh in-memory embedded one, or the disposable
     * server that {@code --url} names with {@code --scratch-ok}.
     *
     * @return how the server is named in the output
     */
    private String scratchServer(Fhirmig.Builder builder, Settings settings) {
        if (!scratchOk) {
            if (top.url != null) {
                throw usage("verify never runs on the configured server, and starts a fresh in-memory one of its own;"
                        + " to verify on the server at --url instead (it will be changed), add --scratch-ok");
            }
            builder.url(Settings.EMBEDDED).embeddedInMemory();
            return "a fresh in-memory FHIR server (its start takes some seconds)";
        }
        if (top.url == null || top.url.isBlank() || Settings.EMBEDDED.equalsIgnoreCase(top.url.trim())) {
            throw usage("--scratch-ok needs --url with the URL of a disposable FHIR server (not the project's embedded"
                    + " server); without both, verify starts a fresh in-memory server of its own");
        }
        builder.url(settings.url());
        settings.security().applyTo(builder);
        return "the disposable server " + settings.url().replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1");
    }

    private void printSummary(VerifyReport report) {
        PrintWriter out = out();
        long checks = report.revisions().stream().mapToLong(r -> r.checks().size()).sum();
        long failed = report.revisions().stream().flatMap(r -> r.checks().stream()).filter(c -> !c.ok()).count();
        if (!report.notVerified().isEmpty()) {
            out.println("not verified (a step before them failed): " + String.join(", ", report.notVerified()));
        }
        out.println("verified " + report.revisions().size() + " migration(s) with " + report.fixtures()
                + " fixture resource(s) in " + String.format(java.util.Locale.ROOT, "%.1f s", report.duration().toMillis() / 1000.0) + ": "
                + (failed == 0 && report.ok() ? "all " + checks + " checks ok" : failed + " of " + checks + " checks FAILED"));
        out.flush();
    }

    /** The report as JSON: whether every check passed, then the report's own fields. */
    private void printJson(VerifyReport report) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", report.ok());
        result.put("server", report.server());
        result.put("fixtures", report.fixtures());
        result.put("revisions", report.revisions());
        result.put("notVerified", report.notVerified());
        result.put("duration", report.duration());
        printJson(result);
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
