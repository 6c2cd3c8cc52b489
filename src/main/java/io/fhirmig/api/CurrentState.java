package io.fhirmig.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What is applied in a namespace on the server.
 *
 * @param namespace the namespace
 * @param heads the applied heads (empty: nothing is applied, "base")
 * @param pending the revisions not applied yet, in the order an upgrade would apply them
 * @param lock the lock a run holds on the namespace, or null when it is free
 * @param pythonTool what the Python tool recorded, when the namespace has no fhirmig state but the
 *     tool's: the heads are then the tool's revision, and runs refuse until {@code Fhirmig.adopt()};
 *     otherwise null
 * @param warnings contradictions found in the state on the server (the state shown is what could be
 *     read; runs refuse such a state)
 */
public record CurrentState(String namespace, List<Head> heads, List<String> pending, Lock lock,
        PythonToolState pythonTool, List<String> warnings) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param namespace the namespace
     * @param heads the applied heads
     * @param pending the revisions not applied yet
     * @param lock the lock, or null
     * @param pythonTool the Python tool's state, or null
     * @param warnings contradictions found
     */
    public CurrentState {
        heads = List.copyOf(heads);
        pending = List.copyOf(pending);
        warnings = List.copyOf(warnings);
    }

    /**
     * The lock a run holds on a namespace's state.
     *
     * @param owner who holds it: user, host, process and run
     * @param step what it is doing, e.g. {@code upgrade d5a1c49e8efb (0002_add_phone_number.groovy)}
     * @param expiresAt when it lapses unless renewed ({@code Instant.MAX} when it cannot be read)
     * @param readable whether the lock's fields could be read; an unreadable lock is held all the same
     */
    public record Lock(String owner, String step, Instant expiresAt, boolean readable) {
    }

    /**
     * The single applied head.
     *
     * @return the head's revision, or empty when nothing is applied (base)
     * @throws IllegalStateException when several heads are applied (a branch)
     */
    public Optional<String> head() {
        return single(headRevisions());
    }

    /**
     * The applied heads' revisions.
     *
     * @return the revision ids, empty for base
     */
    public List<String> headRevisions() {
        return heads.stream().map(Head::revision).toList();
    }

    /**
     * Whether the heads are what the Python tool recorded, not adopted yet.
     *
     * @return true when {@link #pythonTool()} is the namespace's state
     */
    public boolean recordedByPythonTool() {
        return pythonTool != null;
    }

    /**
     * Whether every migration is applied.
     *
     * @return true when nothing is pending
     */
    public boolean upToDate() {
        return pending.isEmpty();
    }

    static Optional<String> single(List<String> heads) {
        if (heads.size() > 1) {
            throw new IllegalStateException("several heads are applied: " + String.join(", ", heads));
        }
        return heads.stream().findFirst();
    }
}
