package io.fhirmig.run;

import java.net.InetAddress;
import java.util.UUID;

/**
 * Who runs: {@code user@host}, written into applied records, and a unique lock owner, so that a lock
 * names the run (user, host, process) that holds it.
 */
public record RunIdentity(String user, String host, long pid, String runId) {

    public static RunIdentity current() {
        return new RunIdentity(System.getProperty("user.name", "unknown"), hostName(),
                ProcessHandle.current().pid(), UUID.randomUUID().toString().substring(0, 8));
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
