package io.fhirmig.run;

import io.fhirmig.api.StoppedRun;

import io.fhirmig.api.FhirmigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The migration runs under way in this process, so that whoever ends the process (a signal, a
 * script's {@code System.exit}) can stop them cleanly first: nothing more sent, the steps that
 * succeeded committed, the lock released.
 */
public final class ActiveRuns {

    private static final Set<Registration> RUNS = ConcurrentHashMap.newKeySet();

    private ActiveRuns() {
    }

    /** One run's entry; closed when the run ends. */
    static final class Registration implements AutoCloseable {
        private final StepCommits commits;
        private final Lease lease;
        private final AuditLog audit;

        private Registration(StepCommits commits, Lease lease, AuditLog audit) {
            this.commits = commits;
            this.lease = lease;
            this.audit = audit;
        }

        @Override
        public void close() {
            RUNS.remove(this);
        }
    }

    static Registration register(StepCommits commits, Lease lease, AuditLog audit) {
        Registration registration = new Registration(commits, lease, audit);
        RUNS.add(registration);
        return registration;
    }

    /**
     * Stops every run under way: each sends nothing more, commits the steps that succeeded, and
     * releases its lock. The step each was in is not recorded.
     *
     * @param why why, e.g. "fhirmig was stopped by SIGTERM"
     * @return the runs stopped; empty when none was under way
     */
    public static List<StoppedRun> stopAll(String why) {
        List<StoppedRun> stopped = new ArrayList<>();
        for (Registration run : List.copyOf(RUNS)) {
            if (!RUNS.remove(run)) {
                continue;
            }
            String step = run.lease.step();
            run.commits.stopAndRelease(FhirmigException.Kind.MIGRATION_FAILED, why);
            run.audit.event("run-stopped").with("step", step).with("reason", why).with("outcome", "stopped").write();
            stopped.add(new StoppedRun(step, run.commits.committed().heads()));
        }
        return stopped;
    }
}
