package io.fhirmig.run;

import io.fhirmig.api.BulkResult;
import io.fhirmig.api.DryRunReport;
import io.fhirmig.api.MigrationStep;
import io.fhirmig.api.ServerText;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.CrossOriginException;
import io.fhirmig.fhir.auth.AuthenticationFailedException;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.fhir.ServerErrors;
import io.fhirmig.api.Direction;
import io.fhirmig.graph.Plan;
import io.fhirmig.graph.Planner;
import io.fhirmig.graph.Step;
import io.fhirmig.graph.Target;
import io.fhirmig.script.MigrationContext;
import io.fhirmig.script.MigrationFailedException;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.script.ScriptCompiler;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.CommitOutcomeUnknownException;
import io.fhirmig.state.LegacyToolState;
import io.fhirmig.state.LockInfo;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateChangedException;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;

/**
 * Runs migrations: validate (graph and checksums) -> lock -> plan -> run each step and commit it
 * (applied record and new heads, one transaction; the commits of steps that sent nothing to the
 * server may wait a moment and join the next ones', see {@link StepCommits}) -> release the lock. A
 * step that throws stops the run with the head on the last step that succeeded. While a step runs,
 * the lock is renewed; a run that loses it, or is stopped, sends nothing more.
 */
public final class Migrator {

    private static final Logger LOG = LogManager.getLogger(Migrator.class);

    private final MigrationSet migrations;
    private final StateStore store;
    private final FhirConnection connection;
    private final ScriptCompiler compiler;
    private final AuditLog audit;
    private final RunIdentity identity;
    private final RunOptions options;
    private final StateLock lock;
    private final Adoption adoption;

    public Migrator(MigrationSet migrations, StateStore store, FhirConnection connection, ScriptCompiler compiler,
            AuditLog audit, RunIdentity identity, RunOptions options) {
        this(migrations, store, connection, compiler, audit, identity, options,
                new Adoption(new LegacyToolState(connection, null), store.namespace()));
    }

    /** @param adoption where the Python tool's state is looked for on a namespace with no fhirmig state */
    public Migrator(MigrationSet migrations, StateStore store, FhirConnection connection, ScriptCompiler compiler,
            AuditLog audit, RunIdentity identity, RunOptions options, Adoption adoption) {
        this.migrations = migrations;
        this.store = store;
        this.connection = connection;
        this.compiler = compiler;
        this.audit = audit;
        this.identity = identity;
        this.options = options;
        this.lock = new StateLock(store, identity, options);
        this.adoption = adoption;
    }

    public RunResult upgrade(Target target, boolean dryRun) {
        return run(Direction.UPGRADE, target, dryRun);
    }

    public RunResult downgrade(Target target, boolean dryRun) {
        return run(Direction.DOWNGRADE, target, dryRun);
    }

    private RunResult run(Direction direction, Target target, boolean dryRun) {
        String action = direction.name().toLowerCase() + " to " + target;
        StateSnapshot current = readChecked(direction);
        if (dryRun) {
            Plan plan = plan(direction, current.heads(), target);
            return new RunResult(plan, List.of(), current.heads(), headsAfter(plan, current.heads()), true);
        }
        Lease lease = lock.newLease(action);
        StateSnapshot state = lock.acquire(lease, action, current);
        List<String> headsBefore = state.heads();
        StepCommits commits = new StepCommits(store, audit, connection, state, lease);
        ActiveRuns.Registration active = ActiveRuns.register(commits, lease, audit);
        try {
            Plan plan = plan(direction, state.heads(), target);
            audit.event("run-start").with("direction", direction.name().toLowerCase())
                    .with("target", target.toString()).with("steps", plan.steps().size()).write();
            if (plan.isEmpty()) {
                LOG.info("nothing to do: {}", headsBefore.isEmpty() ? "nothing is applied" : "at " + ServerText.list(headsBefore, 5));
            } else {
                // The lock names the step that is running, so that a run that dies leaves a lock
                // saying where it died.
                commits.renameLock(describe(plan.steps().get(0)));
                compileAhead(plan);
            }
            for (int i = 0; i < plan.steps().size(); i++) {
                Step step = plan.steps().get(i);
                Step next = i + 1 < plan.steps().size() ? plan.steps().get(i + 1) : null;
                runStep(step, next, commits, lease);
            }
            commits.commitWaiting();
            return new RunResult(plan, commits.done(), headsBefore, commits.committed().heads(), false);
        } finally {
            // A run stopped by something else than a script (a changed script, say) still commits
            // the steps that succeeded before it.
            commits.commitWaitingAfterError();
            commits.release();
            active.close();
        }
    }

    /**
     * Runs the steps an upgrade or downgrade to {@code target} would run, with every write held back
     * (see {@link DryRunRecorder}): no lock, no commit, nothing sent that changes data. Each step sees
     * the server as it is, not as the steps before it would have left it.
     *
     * @throws FhirmigException {@code MIGRATION_FAILED} when a script throws (or makes a request a dry
     *     run cannot answer); {@code USAGE} for a connection whose requests fhirmig cannot hold back
     */
    public DryRunReport dryRun(Direction direction, Target target) {
        long started = System.nanoTime();
        StateSnapshot current = readChecked(direction);
        Plan plan = plan(direction, current.heads(), target);
        List<String> headsAfter = headsAfter(plan, current.heads());
        List<DryRunReport.Step> steps = new ArrayList<>();
        if (!plan.isEmpty()) {
            DryRunRecorder recorder = new DryRunRecorder(connection);
            if (!connection.captureWrites(recorder)) {
                throw new FhirmigException(FhirmigException.Kind.USAGE, "a dry run must hold back every write, which it"
                        + " cannot do through a client the application made: open the connection with the builder's url()");
            }
            Set<Thread> stopped = ConcurrentHashMap.newKeySet();
            try {
                compileAhead(plan);
                for (Step step : plan.steps()) {
                    steps.add(dryRunStep(step, recorder, stopped));
                }
            } finally {
                // A script stopped at the step timeout may still be running: its writes stay refused.
                connection.captureWrites(stopped.isEmpty() ? null : request -> {
                    if (stopped.contains(Thread.currentThread())) {
                        throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED,
                                "the dry run stopped this script: it ran longer than the step timeout");
                    }
                    return null;
                });
            }
        }
        return new DryRunReport(direction, current.heads(), headsAfter, steps,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private DryRunReport.Step dryRunStep(Step step, DryRunRecorder recorder, Set<Thread> stopped) {
        MigrationScript script = migrations.script(step.revision().id());
        String direction = directionOf(step);
        LOG.info("{} {}  {}{} (dry run)", direction, shortId(script.revision()), script.fileName(),
                script.description() == null ? "" : "  " + script.description());
        recorder.startStep();
        StepContext context = new StepContext(script.revision(), direction, true, store.namespace(),
                options.parameters(), script.transactional(), connection.client(), audit, options.progress(), recorder);
        long started = System.nanoTime();
        try {
            runScript(script, context, step.direction(), (worker, why) -> {
                stopped.add(worker);
                return new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, "the dry run stopped it: " + why);
            });
        } catch (MigrationFailedException e) {
            throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, e.getMessage()
                    + "; this was a dry run, so nothing was written", e);
        }
        // A transactional migration's writes wait in the step for its transaction, which a dry run never sends.
        try {
            recorder.heldInTransaction(context.collectedEntries());
        } catch (FhirmigException e) {
            throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, script.fileName() + ": " + e.getMessage()
                    + "; this was a dry run, so nothing was written", e);
        }
        DryRunRecorder.StepWrites writes = recorder.stepWrites();
        List<BulkResult> bulk = context.bulkSummaries().stream().map(BulkSummary::result).toList();
        return new DryRunReport.Step(step.direction(), script.revision(), script.fileName(), script.description(),
                script.transactional(), writes.writes(), writes.count(), bulk,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * The state, read before anything is planned: refused when another tool keeps it, or when an applied
     * script has changed since it was applied.
     */
    private StateSnapshot readChecked(Direction direction) {
        StateSnapshot current = store.read();
        adoption.refuseIfRecordedByTool(current, direction.name().toLowerCase());
        new Validation(migrations).checkChecksums(store.appliedRecords(), current.heads());
        return current;
    }

    private static List<String> headsAfter(Plan plan, List<String> headsBefore) {
        return plan.isEmpty() ? headsBefore : plan.steps().get(plan.steps().size() - 1).headsAfter();
    }

    /** On a fresh clone the other core compiles the steps' scripts while this one runs them. */
    private void compileAhead(Plan plan) {
        compiler.compileAhead(plan.steps().stream().map(step -> migrations.script(step.revision().id())).toList());
    }

    private Plan plan(Direction direction, List<String> heads, Target target) {
        Planner planner = new Planner(migrations.graph());
        return direction == Direction.UPGRADE ? planner.upgrade(heads, target) : planner.downgrade(heads, target);
    }

    /** How the lock names a step: {@code upgrade d5a1c49e8efb (0002_add_phone_number.groovy)}. */
    private String describe(Step step) {
        MigrationScript script = migrations.script(step.revision().id());
        return directionOf(step) + " " + script.revision() + " (" + script.fileName() + ")";
    }

    private static String functionOf(Step step) {
        return functionOf(step.direction());
    }

    private static String functionOf(Direction direction) {
        return direction == Direction.UPGRADE ? "upgrade()" : "downgrade()";
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String directionOf(Step step) {
        return step.direction() == Direction.UPGRADE ? MigrationContext.UPGRADE : MigrationContext.DOWNGRADE;
    }

    /**
     * Runs one step and hands its commit to {@code commits}: a step that sent anything commits at
     * once; the commit renews the lock naming the next step, if there is one.
     */
    private void runStep(Step step, Step next, StepCommits commits, Lease lease) {
        MigrationScript script = migrations.script(step.revision().id());
        String direction = directionOf(step);
        String description = describe(step);
        LOG.info("{} {}  {}{}", direction, shortId(script.revision()), script.fileName(),
                script.description() == null ? "" : "  " + script.description());
        audit.event("step-start").with("revision", script.revision()).with("direction", direction)
                .with("file", script.fileName()).write();
        StepContext context = StepContext.withClientMadeOnUse(script.revision(), direction, store.namespace(),
                options.parameters(), script.transactional(), connection::client, audit, options.progress());
        long started = System.nanoTime();
        commits.stepStarted();
        try {
            runScript(script, context, step.direction(),
                    (worker, why) -> commits.stop(FhirmigException.Kind.MIGRATION_FAILED, why));
            RunStoppedException stopped = lease.reason();
            if (stopped != null) {
                // The script went on after a refused request (it caught the error): the step is not done.
                throw new MigrationFailedException(script.fileName(), null, functionOf(step), stopped);
            }
        } catch (MigrationFailedException e) {
            long durationMs = (System.nanoTime() - started) / 1_000_000;
            try {
                // The steps before it commit first, so the head is the last step that succeeded. If
                // that fails (or failed already, under this script's first request), the server's
                // problem is what is reported: the script may well have failed of it.
                commits.commitWaiting();
            } finally {
                audit.event("step-failure").with("revision", script.revision()).with("direction", direction)
                        .with("file", script.fileName()).with("durationMs", durationMs).with("outcome", "failed")
                        .with("error", e.getMessage()).write();
            }
            throw stepFailure(e, commits.committed(), script);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        LockInfo renewed = lease.lock(next != null ? describe(next) : description);
        List<BundleEntryComponent> writes = context.collectedEntries();
        StateChange change = step.direction() == Direction.UPGRADE
                ? new StateChange(step.headsAfter(), renewed,
                        List.of(new AppliedRecord(script.revision(), script.checksum(), script.fileName(),
                                Instant.now(), identity.userAtHost(), durationMs)),
                        List.of(), List.of(), writes)
                : new StateChange(step.headsAfter(), renewed, List.of(), List.of(),
                        List.of(script.revision()), writes);
        StepCommits.Waiting commit = new StepCommits.Waiting(
                new MigrationStep(script.revision(), script.fileName(), step.direction(), Duration.ofMillis(durationMs),
                        context.bulkSummaries().stream().map(BulkSummary::result).toList()), direction, change);
        if (writes.isEmpty() && !commits.stepSent()) {
            commits.add(commit);
            return;
        }
        // A step that reached the server commits before anything else happens: a run that dies after
        // it must not run it again. Its writes commit on their own: a transaction applies deletes,
        // creates and updates each as a group, not in the order of its entries, so two steps' writes in
        // one would not be two steps.
        try {
            commits.commitAlone(commit);
        } catch (CommitOutcomeUnknownException e) {
            // Its message says what is known: all of the step or none of it, but not which.
            throw e;
        } catch (StateChangedException e) {
            if (script.transactional()) {
                throw e;
            }
            StateSnapshot committed = commits.committed();
            throw new FhirmigException(FhirmigException.Kind.CONCURRENT, script.fileName() + ": the step ran to its end,"
                    + " but another run changed the migration state meanwhile (it may have taken this run's lock over), so"
                    + " the step is not recorded and the head stays at " + (committed.heads().isEmpty() ? "base"
                    : ServerText.list(committed.heads(), 5)) + "; it is not transactional, so what it wrote stays."
                    + " Check `fhirmig current` before running again", e);
        } catch (FhirmigException e) {
            if (script.transactional() && e.kind() == FhirmigException.Kind.SERVER) {
                throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, script.fileName()
                        + ": the server refused the step's transaction, so none of its writes were made: "
                        + e.getMessage(), e);
            }
            throw e;
        }
        LOG.debug("committed {} in {} ms", description, durationMs);
    }

    /** What a failed step is reported as: the script's fault (exit 1), or the server's, or the lock's. */
    private FhirmigException stepFailure(MigrationFailedException e, StateSnapshot committed, MigrationScript script) {
        RunStoppedException stopped = causeOf(e, RunStoppedException.class);
        if (stopped != null) {
            String head = committed.heads().isEmpty() ? "base (nothing applied)" : ServerText.list(committed.heads(), 5);
            String data = script.transactional()
                    ? "it is transactional, so none of its writes were made"
                    : "it is not transactional, so what it wrote before it was stopped stays: make it safe to re-run";
            return new FhirmigException(stopped.kind(), script.fileName() + ": this run was stopped during the step, "
                    + "because " + stopped.why() + "; it sent nothing more from then on. The step is not recorded and the"
                    + " head stays at " + head + "; " + data + ". Check `fhirmig current` (another run may have taken"
                    + " over) and run again", e);
        }
        CrossOriginException elsewhere = causeOf(e, CrossOriginException.class);
        if (elsewhere != null) {
            // The server pointed the script's request at another origin, which was refused (exit 4).
            return new FhirmigException(FhirmigException.Kind.SERVER, script.fileName() + ": "
                    + elsewhere.getMessage() + "; " + afterFailure(committed, script), e);
        }
        AuthenticationFailedException refused = causeOf(e, AuthenticationFailedException.class);
        if (refused != null) {
            // The script is not at fault: the server refused the credentials (exit 4, not 1).
            return new FhirmigException(FhirmigException.Kind.SERVER, script.fileName() + ": "
                    + refused.getMessage() + "; " + afterFailure(committed, script), e);
        }
        FhirmigException unreachable = ServerErrors.connectionFailure(e, connection.displayUrl());
        if (unreachable != null) {
            // Not the script's fault either: the server went away under its request (exit 4).
            return new FhirmigException(FhirmigException.Kind.SERVER, script.fileName() + ": "
                    + unreachable.getMessage() + "; " + afterFailure(committed, script), e);
        }
        return new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, e.getMessage() + "; "
                + afterFailure(committed, script), e);
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Runs the script's function for this step: on this thread, or, with a step timeout, on a thread
     * of its own that is stopped when the time is up ({@code stop} refuses its requests from then on
     * and gives the reason).
     */
    private void runScript(MigrationScript script, StepContext context, Direction direction,
            BiFunction<Thread, String, FhirmigException> stop) {
        Duration timeout = options.stepTimeout();
        if (timeout == null) {
            runScriptHere(script, context, direction);
            return;
        }
        FutureTask<Void> task = new FutureTask<>(() -> {
            runScriptHere(script, context, direction);
            return null;
        });
        Thread worker = new Thread(task, "fhirmig-step " + script.fileName());
        // A script that ignores the interrupt (an endless loop) must not keep the process alive.
        worker.setDaemon(true);
        worker.start();
        try {
            task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            FhirmigException stopped = stop.apply(worker, "it ran longer than the step timeout (" + seconds(timeout) + ")");
            worker.interrupt();
            throw new MigrationFailedException(script.fileName(), null, functionOf(direction), stopped);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.interrupt();
            throw new MigrationFailedException(script.fileName(), null, functionOf(direction), e);
        }
    }

    private void runScriptHere(MigrationScript script, StepContext context, Direction direction) {
        new ScriptCall(connection, compiler).run(script, context, direction);
    }

    private static String afterFailure(StateSnapshot state, MigrationScript script) {
        String head = state.heads().isEmpty() ? "base (nothing applied)" : ServerText.list(state.heads(), 5);
        String data = script.transactional()
                ? "it is transactional, so none of its writes were made"
                : "it is not transactional, so it may have written part of its data: make it safe to re-run";
        return "the head stays at " + head + "; " + data + ", fix it, and run again";
    }

    static String shortId(String revision) {
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }
}
