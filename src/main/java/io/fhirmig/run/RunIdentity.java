package io.fhirmig.run;

import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who runs: {@code user@host}, written into applied records, and a unique lock owner, so that a lock
 * names the run (user, host, process) that holds it.
 */
public record RunIdentity(String user, String host, long pid, String runId) {

    public static RunIdentity current() {
        return new RunIdentity(System.getProperty("user.name", "unknown"), hostName(),
                ProcessHandle.current().pid(), newRunId());
    }

    /**
     * Eight hex digits that tell apart two runs with the same user, host and process id (a reused pid,
     * containers with one host name). They need to differ, not to be unguessable: the secure generator
     * that {@link java.util.UUID#randomUUID()} starts would be started by every command.
     */
    private static String newRunId() {
        String hex = Integer.toHexString(ThreadLocalRandom.current().nextInt());
        return "0".repeat(8 - hex.length()) + hex;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    /** {@code alice@build-7}. */
    public String userAtHost() {
        return user + "@" + host;
    }

    /** {@code alice@build-7 pid 4711 3f2a9c1e}: unique to this run. */
    public String lockOwner() {
        return userAtHost() + " pid " + pid + " " + runId;
    }
}
