package io.fhirmig.run;

import io.fhirmig.api.MigrationStep;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateChangedException;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The commits of one run's steps, and the run's lease on the lock.
 *
 * <p>A step that sent any request to the server commits as soon as it ends. A step whose script sent
 * nothing changed nothing on the server but fhirmig's own state, so its commit may wait a moment and
 * join the next steps' in one transaction: a round trip per step was most of an upgrade of
 * migrations that send nothing. A waiting commit is made before anything else reaches the server
 * (before any request of a script, so every script finds the server as if each step before it had
 * committed on its own), when a script fails, at the end of the run, once {@link #MAX_STEPS} steps
 * wait, and by a timer {@link #MAX_WAIT_NANOS} after the first of them ended, whatever the run is
 * doing then. A run that dies can lose only that last second of steps that changed nothing.
 *
 * <p>Every commit renews the lock; while a step runs longer than a third of the lock's time to live,
 * the timer renews it alone. Once the lease is lost (a renewal found the state changed, or the lease
 * ran out while the process was paused) or the run is stopped ({@link #stop}), every further request
 * through the connection fails with {@link RunStoppedException}: a run that no longer holds the lock
 * writes nothing more.
 *
 * <p>Requests through a client an application made cannot be seen, so there every step commits on
 * its own and only the timer's renewal and the commits themselves check the lease.
 */
final class StepCommits implements AutoCloseable {

    /**
     * At most this many steps in one transaction. A step that sends nothing writes one record, so the
     * bound is {@link RecordBatches#MAX_RECORDS}, for the same reasons (docs/performance.md, "Commits
     * of steps that send nothing join the next").
     */
    static final int MAX_STEPS = RecordBatches.MAX_RECORDS;
    /** No commit waits longer than this after its step: the state on the server shows the progress. */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = LogManager.getLogger(StepCommits.class);

    private final StateStore store;
    private final AuditLog audit;
    private final FhirConnection connection;
    private final Lease lease;
    private final boolean grouping;
    private final int maxSteps;
    private final long maxWaitNanos;
    private final List<Waiting> waiting = new ArrayList<>();
    private final List<MigrationStep> done = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> flush;
    private ScheduledFuture<?> renewal;
    private StateSnapshot committed;
    /** The thread sending one of these commits: its own requests pass the hook. */
    private volatile Thread committer;
    /** Whether the running step has sent anything since {@link #stepStarted()}. */
    private volatile boolean stepSent;
    /** The thread that stopped the run, once it is stopped. */
    private volatile Thread stopper;
    private FhirmigException failure;
    private boolean closed;
    private boolean released;

    /** A step whose script succeeded, its commit not yet made. */
    record Waiting(MigrationStep result, String direction, StateChange change) {
    }

    /**
     * Starts committing a run's steps on a connection; {@link #close()} ends it.
     *
     * @param state the state as last committed (with this run's lock, held under {@code lease})
     */
    StepCommits(StateStore store, AuditLog audit, FhirConnection connection, StateSnapshot state, Lease lease) {
        this(store, audit, connection, state, lease, MAX_STEPS, MAX_WAIT_NANOS);
    }

    StepCommits(StateStore store, AuditLog audit, FhirConnection connection, StateSnapshot state, Lease lease,
            int maxSteps, long maxWaitNanos) {
        this.maxSteps = maxSteps;
        this.maxWaitNanos = maxWaitNanos;
        this.store = store;
        this.audit = audit;
        this.connection = connection;
        this.lease = lease;
        this.committed = state;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fhirmig-commits");
            thread.setDaemon(true);
            return thread;
        });
        this.grouping = connection.beforeEachRequest(this::beforeRequest);
        scheduleRenewal();
    }

    /** The state as last committed. */
    synchronized StateSnapshot committed() {
        return committed;
    }

    /** The steps committed so far, in order. */
    synchronized List<MigrationStep> done() {
        return List.copyOf(done);
    }

    /** Renews the lock now, naming {@code step}: the step about to run. */
    synchronized void renameLock(String step) {
        commitWaiting();
        commit(StateChange.of(committed.heads(), lease.lock(step)));
    }

    /** Marks the start of a step's script: whether it sends anything is counted from here. */
    void stepStarted() {
        stepSent = !grouping;
    }

    /** Whether the running step's script sent any request (always true where requests cannot be seen). */
    boolean stepSent() {
        return stepSent;
    }

    /**
     * Run before every request through the connection, on the sending thread: refuses it once the run
     * is stopped, and commits the waiting steps before it leaves. The commits' own requests pass.
     */
    private void beforeRequest() {
        if (Thread.currentThread() == committer) {
            return;
        }
        lease.check();
        stepSent = true;
        commitWaiting();
    }

    /**
     * Takes the commit of a step whose script sent nothing and collected no writes: it waits, unless
     * this is the last one a transaction may take. (Where requests cannot be seen, {@link #stepSent()}
     * is always true, so every step commits alone.)
     */
    synchronized void add(Waiting step) {
        waiting.add(step);
        if (waiting.size() >= maxSteps) {
            commitWaiting();
        } else if (flush == null) {
            flush = timer.schedule(this::flushOnTimer, maxWaitNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Commits a step's change at once, after the waiting ones.
     *
     * @throws FhirmigException the commit's failure, the step's {@code commit-failed} event written
     */
    synchronized void commitAlone(Waiting step) {
        commitWaiting();
        try {
            commit(step.change());
        } catch (FhirmigException e) {
            auditCommitFailed(step, e);
            throw e;
        }
        done.add(step.result());
        auditSuccess(step);
    }

    /**
     * Commits the waiting steps in one transaction, and writes their audit events. A failure is
     * kept: every later call throws it, since the steps after it must not commit.
     *
     * @throws FhirmigException the commit's failure (e.g. the server is unreachable, or another run
     *     changed the state)
     */
    synchronized void commitWaiting() {
        if (failure != null) {
            throw failure;
        }
        if (waiting.isEmpty()) {
            return;
        }
        cancelFlush();
        try {
            commit(combined());
        } catch (FhirmigException e) {
            waiting.forEach(step -> auditCommitFailed(step, e));
            waiting.clear();
            failure = e;
            throw e;
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

    /**
     * Stops the run: shuts the fence so that nothing more of it reaches the server (a script still
     * running finds every request refused), then commits the steps that had succeeded. Only this
     * thread commits from now on.
     *
     * @return the reason every later request is given
     */
    RunStoppedException stop(FhirmigException.Kind kind, String why) {
        RunStoppedException reason = lease.lose(kind, why);
        synchronized (this) {
            if (stopper == null) {
                stopper = Thread.currentThread();
            }
            commitWaitingAfterError();
        }
        return reason;
    }

    /**
     * Stops the run: shuts the fence so that nothing more of it reaches the server (a script still
     * running finds every request refused), commits the steps that had succeeded, and releases the
     * lock. Only this thread commits from now on: the step that was running is not recorded.
     *
     * @return the reason every later request is given
     */
    RunStoppedException stopAndRelease(FhirmigException.Kind kind, String why) {
        RunStoppedException reason = stop(kind, why);
        release();
        return reason;
    }

    /**
     * Sends one change with this run's lock renewed, passing the fence: a compare-and-set on the
     * state's version, so it cannot overwrite another run that took the lock after this one's lapsed,
     * and a step that finished before its lease ran out is still recorded when nobody took over.
     */
    private void commit(StateChange change) {
        refuseAfterStop();
        long sent = System.nanoTime();
        String step = change.lock() == null ? lease.step() : change.lock().step();
        StateChange renewed = new StateChange(change.heads(), lease.lock(step), change.recordsToCreate(),
                change.recordsToUpdate(), change.revisionsToForget(), change.dataEntries());
        committer = Thread.currentThread();
        try {
            committed = store.commit(committed, renewed);
        } catch (StateChangedException e) {
            lease.lose(FhirmigException.Kind.CONCURRENT,
                    "another run changed the migration state (it may have taken the lock over)");
            throw e;
        } finally {
            committer = null;
        }
        lease.held(sent);
    }

    /** Once the run is stopped, only the thread that stopped it commits (the steps that succeeded). */
    private void refuseAfterStop() {
        Thread by = stopper;
        if (by != null && by != Thread.currentThread()) {
            throw lease.reason();
        }
    }

    /**
     * Releases the lock, naming the state as last committed; a failure here is reported but never
     * hides the run's own outcome.
     */
    synchronized void release() {
        close();
        Thread by = stopper;
        if (released || by != null && by != Thread.currentThread()) {
            return;
        }
        released = true;
        committer = Thread.currentThread();
        try {
            committed = StateLock.release(store, committed);
        } finally {
            committer = null;
        }
    }

    private synchronized void flushOnTimer() {
        flush = null;
        try {
            commitWaiting();
        } catch (RuntimeException e) {
            // Kept as the failure: the run's next request or commit reports it.
            LOG.debug("a waiting commit failed: {}", e.getMessage());
        }
    }

    private void scheduleRenewal() {
        long delay = Math.max(lease.nanosUntilRenewal(), TimeUnit.MILLISECONDS.toNanos(200));
        renewal = timer.schedule(this::renewOnTimer, delay, TimeUnit.NANOSECONDS);
    }

    private void renewOnTimer() {
        synchronized (this) {
            if (closed || lease.reason() != null) {
                return;
            }
            if (lease.lost()) {
                return;
            }
            if (lease.renewalDue()) {
                try {
                    if (!waiting.isEmpty()) {
                        commitWaiting();
                    } else if (failure == null) {
                        commit(StateChange.of(committed.heads(), null));
                    }
                    LOG.debug("renewed the lock for {}", lease.step());
                } catch (RunStoppedException | StateChangedException e) {
                    return;
                } catch (RuntimeException e) {
                    // The server may be back before the lease runs out; the fence shuts if it is not.
                    LOG.warn("could not renew the lock ({}); trying again", e.getMessage());
                }
            }
            scheduleRenewal();
        }
    }

    private void cancelFlush() {
        if (flush != null) {
            flush.cancel(false);
            flush = null;
        }
    }

    private void auditSuccess(Waiting step) {
        MigrationStep result = step.result();
        audit.event("step-success").with("revision", result.revision()).with("direction", step.direction())
                .with("file", result.file()).with("durationMs", result.duration().toMillis()).with("outcome", "success").write();
    }

    private void auditCommitFailed(Waiting step, FhirmigException e) {
        MigrationStep result = step.result();
        audit.event("step-failure").with("revision", result.revision()).with("direction", step.direction())
                .with("file", result.file()).with("outcome", "commit-failed").with("error", e.getMessage()).write();
    }

    /**
     * Ends the timer and the watch on requests. Waiting steps are not committed here. A run that was
     * stopped keeps its fence on the connection: a script still running (past its step timeout) can
     * send nothing more.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelFlush();
        if (renewal != null) {
            renewal.cancel(false);
        }
        timer.shutdown();
        RunStoppedException stopped = lease.reason();
        connection.beforeEachRequest(stopped == null ? null : () -> {
            if (Thread.currentThread() != committer) {
                throw stopped;
            }
        });
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
