package io.fhirmig.run;

import io.fhirmig.state.LockInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a lock belongs to a run on this host whose process has ended: a run killed here (kill -9,
 * a closed terminal, a crashed machine restarted) would otherwise block every run until its lock
 * lapses, while its process id says plainly that it is gone. Only a lock that names this host counts,
 * and only when no process has its process id, or the one that has it started at another time than
 * the lock's owner (the id was given to a later process). A lock that does not say when its owner
 * started (an older fhirmig's) keeps its expiry while a process has the id; another host's processes
 * cannot be seen from here.
 *
 * @param pid the owner's process id
 */
record DeadLocalRun(long pid) {

    /** {@code user@host pid 4711 3f2a9c1e}, as {@link RunIdentity#lockOwner()} writes it. */
    private static final Pattern OWNER = Pattern.compile("(?s).*@(.+) pid (\\d{1,18}) \\S+");

    /**
     * How far apart two readings of one process's start may be: the lock keeps milliseconds, the
     * system counts in clock ticks. A later process with the same id started long after.
     */
    private static final Duration SAME_START = Duration.ofSeconds(1);

    /**
     * {@return the dead run that holds {@code lock}, or null when it is not one} A lock this run
     * itself holds is never a dead run's.
     */
    static DeadLocalRun of(LockInfo lock, RunIdentity self) {
        if (lock == null || lock.owner() == null || lock.owner().equals(self.lockOwner())) {
            return null;
        }
        Matcher owner = OWNER.matcher(lock.owner());
        if (!owner.matches() || !owner.group(1).equals(self.host())) {
            return null;
        }
        long pid = Long.parseLong(owner.group(2));
        ProcessHandle process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElse(null);
        if (process == null) {
            return new DeadLocalRun(pid);
        }
        Instant started = process.info().startInstant().orElse(null);
        boolean another = lock.ownerStarted() != null && started != null
                && Duration.between(started, lock.ownerStarted()).abs().compareTo(SAME_START) > 0;
        return another ? new DeadLocalRun(pid) : null;
    }

    private static volatile Instant thisProcessStarted;

    /** {@return when this process started, written into its locks; null when the system does not say} */
    static Instant thisProcessStarted() {
        Instant started = thisProcessStarted;
        if (started == null) {
            started = ProcessHandle.current().info().startInstant().orElse(null);
            thisProcessStarted = started;
        }
        return started;
    }
}
