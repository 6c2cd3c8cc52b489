package io.fhirmig.run;

import io.fhirmig.state.LockInfo;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a lock belongs to a run on this host whose process has ended: a run killed here (kill -9,
 * a closed terminal, a crashed machine restarted) would otherwise block every run until its lock
 * lapses, while its process id says plainly that it is gone. Only a lock that names this host and a
 * process id with no process behind it counts: a process with that id that is running may be the
 * run (or one that took its id over; either way the lock keeps its expiry), and another host's
 * processes cannot be seen from here.
 *
 * @param pid the owner's process id
 */
record DeadLocalRun(long pid) {

    /** {@code user@host pid 4711 3f2a9c1e}, as {@link RunIdentity#lockOwner()} writes it. */
    private static final Pattern OWNER = Pattern.compile("(?s).*@(.+) pid (\\d{1,18}) \\S+");

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
        boolean running = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return running ? null : new DeadLocalRun(pid);
    }
}
