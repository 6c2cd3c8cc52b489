package io.fhirmig.state;

import java.util.List;

/**
 * The state resource as read at one version.
 *
 * @param heads the applied heads; empty means nothing is applied (base)
 * @param lock the lock, or {@code null} when the namespace is not locked
 * @param resourceId the state resource's id, or {@code null} while none exists on the server
 * @param versionId the version read, used as {@code If-Match} of the next write
 */
public record StateSnapshot(List<String> heads, LockInfo lock, String resourceId, String versionId) {

    public StateSnapshot {
        heads = List.copyOf(heads);
    }

    public static StateSnapshot none() {
        return new StateSnapshot(List.of(), null, null, null);
    }

    public boolean exists() {
        return resourceId != null;
    }

    public boolean locked() {
        return lock != null;
    }
}
