package io.fhirmig.run;

import io.fhirmig.FhirmigException;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The commits of one run's steps. A step whose script sent nothing to the server and collected no
 * writes changed nothing there but fhirmig's own state, so its commit may wait and join the next
 * steps' in one transaction: a round trip per step was most of an upgrade's time (at 5,000 such
 * steps, 31 of 35 s, and 7 of 12 s of fhirmig's CPU). Waiting commits are made before anything
 * else reaches the server: before any request of a script (so every script finds the server as if
 * each step before it had committed on its own), before a step with writes of its own commits, when
 * a script fails, at the end of the run, and once {@link #MAX_STEPS} steps or {@link #MAX_WAIT_NANOS}
 * have gone by. A run that dies loses only waiting steps, which changed nothing on the server: the
 * next run runs them again.
 *
 * <p>Requests through a client an application made cannot be seen, so there every step commits on
 * its own, as before.
 */
final class StepCommits implements AutoCloseable {

    /** At most this many steps in one transaction: servers cap a Bundle's size. */
    static final int MAX_STEPS = 500;
    /** No commit waits longer than this after its step: the state on the server shows the progress. */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = LogManager.getLogger(StepCommits.class);

    private final StateStore store;
    private final AuditLog audit;
    private final FhirConnection connection;
    private final boolean grouping;
    private final int maxSteps;
    private final long maxWaitNanos;
    private final List<Waiting> waiting = new ArrayList<>();
    private final List<StepResult> done = new ArrayList<>();
    private StateSnapshot committed;
    private long firstWaitingSince;
    private boolean committing;
    private FhirmigException failure;

    /** A step whose script succeeded, its commit not yet made. */
    record Waiting(StepResult result, String direction, StateChange change) {
    }

    /**
     * Starts grouping the commits of a run on a connection; {@link #close()} ends it.
     *
     * @param state the state as last committed (with this run's lock)
     */
    StepCommits(StateStore store, AuditLog audit, FhirConnection connection, StateSnapshot state) {
        this(store, audit, connection, state, MAX_STEPS, MAX_WAIT_NANOS);
    }

    StepCommits(StateStore store, AuditLog audit, FhirConnection connection, StateSnapshot state, int maxSteps,
            long maxWaitNanos) {
        this.maxSteps = maxSteps;
        this.maxWaitNanos = maxWaitNanos;
        this.store = store;
        this.audit = audit;
        this.connection = connection;
        this.committed = state;
        this.grouping = connection.beforeEachRequest(this::commitWaiting);
    }

    /** The state as last committed. */
    synchronized StateSnapshot committed() {
        return committed;
    }

    /** The steps committed so far, in order. */
    synchronized List<StepResult> done() {
        return List.copyOf(done);
    }

    /**
     * Takes the commit of a step whose script sent nothing and collected no writes: it waits, unless
     * this is the last one a transaction may take, or the first has waited long enough.
     */
    synchronized void add(Waiting step) {
        if (waiting.isEmpty()) {
            firstWaitingSince = System.nanoTime();
        }
        waiting.add(step);
        if (!grouping || waiting.size() >= maxSteps || System.nanoTime() - firstWaitingSince >= maxWaitNanos) {
            commitWaiting();
        }
    }

    /**
     * Commits a step with writes of its own in a transaction of its own; {@link #commitWaiting()} first.
     *
     * @throws FhirmigException the commit's failure, the step's {@code commit-failed} event written
     */
    synchronized void commitAlone(Waiting step) {
        try {
            committed = store.commit(committed, step.change());
        } catch (FhirmigException e) {
            auditCommitFailed(step, e);
            throw e;
        }
        done.add(step.result());
        auditSuccess(step);
    }

    /**
     * Commits the waiting steps in one transaction, and writes their audit events. A failure is
     * kept: every later call throws it, since the steps after it must not commit. Also run before
     * every request to the server: the commit's own request passes ({@code committing}, same thread);
     * another thread's waits on the monitor until the commit is done.
     *
     * @throws FhirmigException the commit's failure (e.g. the server is unreachable, or another run
     *     changed the state)
     */
    synchronized void commitWaiting() {
        if (failure != null) {
            throw failure;
        }
        if (waiting.isEmpty() || committing) {
            return;
        }
        committing = true;
        try {
            committed = store.commit(committed, combined());
        } catch (FhirmigException e) {
            waiting.forEach(step -> auditCommitFailed(step, e));
            waiting.clear();
            failure = e;
            throw e;
        } finally {
            committing = false;
        }
        for (Waiting step : waiting) {
            done.add(step.result());
            auditSuccess(step);
        }
        LOG.debug("committed {} step(s), the last {}", waiting.size(), waiting.get(waiting.size() - 1).result().file());
        waiting.clear();
    }

    /**
     * Commits the waiting steps, if any, when the run stops for another reason than a commit: a
     * failure here is logged, and the run's own failure is what is reported.
     */
    synchronized void commitWaitingAfterError() {
        if (failure != null || waiting.isEmpty()) {
            return;
        }
        int count = waiting.size();
        try {
            commitWaiting();
        } catch (RuntimeException e) {
            LOG.warn("could not commit the {} step(s) that succeeded before the run stopped ({}); they run again next time",
                    count, e.getMessage());
        }
    }

    private void auditSuccess(Waiting step) {
        StepResult result = step.result();
        audit.event("step-success").with("revision", result.revision()).with("direction", step.direction())
                .with("file", result.file()).with("durationMs", result.durationMs()).with("outcome", "success").write();
    }

    private void auditCommitFailed(Waiting step, FhirmigException e) {
        StepResult result = step.result();
        audit.event("step-failure").with("revision", result.revision()).with("direction", step.direction())
                .with("file", result.file()).with("outcome", "commit-failed").with("error", e.getMessage()).write();
    }

    /** Ends the grouping: later requests go out unobserved. Waiting steps are not committed here. */
    @Override
    public void close() {
        connection.beforeEachRequest(null);
    }

    /** The waiting steps' changes as one: the last step's heads and lock, every step's records. */
    private StateChange combined() {
        if (waiting.size() == 1) {
            return waiting.get(0).change();
        }
        List<AppliedRecord> create = new ArrayList<>();
        List<AppliedRecord> update = new ArrayList<>();
        List<String> forget = new ArrayList<>();
        for (Waiting step : waiting) {
            create.addAll(step.change().recordsToCreate());
            update.addAll(step.change().recordsToUpdate());
            forget.addAll(step.change().revisionsToForget());
        }
        StateChange last = waiting.get(waiting.size() - 1).change();
        return new StateChange(last.heads(), last.lock(), create, update, forget, List.of());
    }
}
