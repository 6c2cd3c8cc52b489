package io.fhirmig.verify;

import io.fhirmig.api.Direction;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.ProgressListener;
import io.fhirmig.api.VerifyListener;
import io.fhirmig.api.VerifyReport;
import io.fhirmig.api.VerifyReport.Check;
import io.fhirmig.api.VerifyReport.Difference;
import io.fhirmig.api.VerifyReport.RevisionResult;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.run.DryRunRecorder;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.ScriptCall;
import io.fhirmig.run.StepContext;
import io.fhirmig.script.MigrationContext;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.script.ScriptCompiler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;

/**
 * Verifies migrations on a scratch server: loads the fixtures, then for each migration in upgrade
 * order takes a snapshot S0, runs {@code upgrade()} (S1), {@code upgrade()} again (must equal S1:
 * idempotent), {@code downgrade()} (must equal S0: reversible) and {@code upgrade()} once more (must
 * equal S1: repeatable), and goes on from there. Before the first {@code upgrade()} it runs
 * {@code upgrade()} as a dry run ({@link DryRunRecorder}): it must write nothing and would change as
 * many resources as {@code upgrade()} then does (dry-run). Scripts run as in a real run
 * ({@link ScriptCall}); a transactional migration's writes are sent as its transaction. No state is
 * recorded and no lock taken: the scratch server is the verification's alone.
 */
public final class Verifier {

    /** How many differences a check lists; the rest are counted. */
    public static final int SHOWN_DIFFERENCES = 5;

    private static final Logger LOG = LogManager.getLogger(Verifier.class);

    private final MigrationSet migrations;
    private final FhirConnection scratch;
    private final ScriptCall scripts;
    private final String namespace;
    private final Map<String, String> parameters;
    /** The snapshot after the last migration verified to its end: where the next one starts. */
    private Snapshot lastSnapshot;
    /** What the last step that failed threw. */
    private String lastError;

    /**
     * @param scratch the scratch server, which the verification changes
     * @param namespace what scripts see as {@code migration.namespace}
     * @param parameters what scripts see as {@code migration.parameters}
     */
    public Verifier(MigrationSet migrations, FhirConnection scratch, ScriptCompiler compiler, String namespace,
            Map<String, String> parameters) {
        this.migrations = migrations;
        this.scratch = scratch;
        this.scripts = new ScriptCall(scratch, compiler);
        this.namespace = namespace;
        this.parameters = parameters;
    }

    /**
     * Runs the verification.
     *
     * @param range which migrations (see {@link io.fhirmig.api.VerifyOptions#range()})
     * @param fixtures the fixtures folder, or null for none
     * @param serverName how the report names the scratch server
     * @param started when the verification started ({@link System#nanoTime()}), for its duration
     * @throws FhirmigException {@code USAGE} for a bad range or fixture, {@code SERVER} when the
     *     scratch server cannot be used
     */
    public VerifyReport verify(String range, Path fixtures, VerifyListener listener, String serverName, long started) {
        RevisionRange plan = RevisionRange.of(range, migrations.graph());
        ServerChanges changes = ServerChanges.startingNow(scratch);
        int loaded = fixtures == null ? 0 : Fixtures.load(fixtures, scratch);
        List<RevisionResult> results = new ArrayList<>();
        List<String> notVerified = new ArrayList<>();
        Snapshot before = null;
        boolean stopped = false;
        for (String revision : plan.steps()) {
            MigrationScript script = migrations.script(revision);
            if (stopped) {
                if (plan.checked().contains(revision)) {
                    notVerified.add(script.fileName());
                }
                continue;
            }
            if (!plan.checked().contains(revision)) {
                // Below the range: applied as the data the range's migrations start from.
                if (call(script, Direction.UPGRADE, "upgrade() (below the range)", listener) != null) {
                    throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, script.fileName()
                            + ": upgrade() failed before the range to verify: " + lastError);
                }
                before = null;
                continue;
            }
            if (before == null) {
                before = changes.snapshot();
            }
            long revisionStarted = System.nanoTime();
            RevisionResult result = verifyOne(script, before, changes, listener, revisionStarted);
            results.add(result);
            listener.revisionDone(result);
            LOG.debug("verified {}: {}", script.fileName(), result.ok() ? "ok" : "failed");
            // A function that threw leaves the data where the next migration cannot start from it; a dry
            // run that failed changed nothing.
            stopped = result.checks().stream()
                    .anyMatch(check -> check.error() != null && !check.name().equals(VerifyReport.DRY_RUN));
            before = stopped ? null : lastSnapshot;
        }
        return new VerifyReport(serverName, loaded, results, notVerified, Duration.ofNanos(System.nanoTime() - started));
    }

    private RevisionResult verifyOne(MigrationScript script, Snapshot before, ServerChanges changes,
            VerifyListener listener, long started) {
        List<Check> checks = new ArrayList<>();
        DryRun dry = dryRun(script, listener);
        Snapshot s0 = changes.snapshot();
        // What a dry run let through is part of its check; the other checks start from the data it left.
        List<Difference> escaped = SnapshotDiff.between(before, s0, changes::original);
        String error = call(script, Direction.UPGRADE, "upgrade()", listener);
        if (error != null) {
            checks.add(failed(VerifyReport.UPGRADE, error));
            return done(script, 0, checks, started);
        }
        Snapshot s1 = changes.snapshot();
        int changed = (int) SnapshotDiff.between(s0, s1, changes::original).stream()
                .map(Difference::resource).distinct().count();
        error = call(script, Direction.UPGRADE, "upgrade() again", listener);
        if (error != null) {
            checks.add(failed(VerifyReport.IDEMPOTENT, error));
            return done(script, changed, checks, started);
        }
        checks.add(compare(VerifyReport.IDEMPOTENT, s1, changes.snapshot(), changes));
        error = call(script, Direction.DOWNGRADE, "downgrade()", listener);
        if (error != null) {
            checks.add(failed(VerifyReport.REVERSIBLE, error));
            return done(script, changed, checks, started);
        }
        checks.add(compare(VerifyReport.REVERSIBLE, s0, changes.snapshot(), changes));
        error = call(script, Direction.UPGRADE, "upgrade() after downgrade()", listener);
        if (error != null) {
            checks.add(failed(VerifyReport.REPEATABLE, error));
            return done(script, changed, checks, started);
        }
        lastSnapshot = changes.snapshot();
        checks.add(compare(VerifyReport.REPEATABLE, s1, lastSnapshot, changes));
        checks.add(dryRunCheck(dry, escaped, changed));
        return done(script, changed, checks, started);
    }

    /** What {@code upgrade()} as a dry run would write, or why it failed. */
    private record DryRun(DryRunRecorder.StepWrites writes, String error) {
    }

    private DryRun dryRun(MigrationScript script, VerifyListener listener) {
        listener.stepStarted(script.fileName(), "upgrade() as a dry run");
        DryRunRecorder recorder = new DryRunRecorder(scratch);
        scratch.captureWrites(recorder);
        try {
            recorder.startStep();
            StepContext context = new StepContext(script.revision(), MigrationContext.UPGRADE, true, namespace,
                    parameters, script.transactional(), scratch.client(), null, ProgressListener.NONE, recorder);
            scripts.run(script, context, Direction.UPGRADE);
            recorder.heldInTransaction(context.collectedEntries());
            return new DryRun(recorder.stepWrites(), null);
        } catch (RuntimeException e) {
            return new DryRun(null, "upgrade() as a dry run: " + e.getMessage());
        } finally {
            scratch.captureWrites(null);
            listener.stepEnded();
        }
    }

    private static Check dryRunCheck(DryRun dry, List<Difference> escaped, int changed) {
        if (dry.error() != null) {
            return failed(VerifyReport.DRY_RUN, dry.error());
        }
        if (!escaped.isEmpty()) {
            int shown = Math.min(SHOWN_DIFFERENCES, escaped.size());
            return new Check(VerifyReport.DRY_RUN, false, null, escaped.subList(0, shown), escaped.size() - shown);
        }
        int wouldChange = dry.writes().changedResources();
        if (wouldChange >= 0 && wouldChange != changed) {
            return new Check(VerifyReport.DRY_RUN, false, "upgrade() as a dry run would change " + wouldChange
                    + " resource(s), but upgrade() changed " + changed + ": a dry run should show what the upgrade"
                    + " does (look at the script's migration.dryRun branches)", List.of(), 0);
        }
        return new Check(VerifyReport.DRY_RUN, true, null, List.of(), 0);
    }

    private static RevisionResult done(MigrationScript script, int changed, List<Check> checks, long started) {
        return new RevisionResult(script.revision(), script.fileName(), changed, checks,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static Check failed(String name, String error) {
        return new Check(name, false, error, List.of(), 0);
    }

    private static Check compare(String name, Snapshot expected, Snapshot found, ServerChanges changes) {
        List<Difference> differences = SnapshotDiff.between(expected, found, changes::original);
        int shown = Math.min(SHOWN_DIFFERENCES, differences.size());
        return new Check(name, differences.isEmpty(), null, differences.subList(0, shown), differences.size() - shown);
    }

    /**
     * Runs one function of the script, with a transactional migration's writes sent as one
     * transaction as its step would commit them.
     *
     * @return null when it succeeded, else what went wrong
     */
    private String call(MigrationScript script, Direction direction, String step, VerifyListener listener) {
        listener.stepStarted(script.fileName(), step);
        try {
            StepContext context = new StepContext(script.revision(),
                    direction == Direction.UPGRADE ? MigrationContext.UPGRADE : MigrationContext.DOWNGRADE, false,
                    namespace, parameters, script.transactional(), scratch.client(), null, ProgressListener.NONE);
            scripts.run(script, context, direction);
            List<BundleEntryComponent> writes = context.collectedEntries();
            if (!writes.isEmpty()) {
                Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                writes.forEach(transaction::addEntry);
                scratch.client().transaction().withBundle(transaction).execute();
            }
            lastError = null;
        } catch (RuntimeException e) {
            lastError = step + ": " + e.getMessage();
        } finally {
            listener.stepEnded();
        }
        return lastError;
    }
}
