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
 * @param recordedByPythonTool whether the heads are what the Python tool recorded, on a namespace
 *     with no fhirmig state: runs refuse until {@code Fhirmig.adopt()}
 */
public record CurrentState(String namespace, List<String> heads, List<String> pending, Lock lock,
        boolean recordedByPythonTool) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param namespace the namespace
     * @param heads the applied heads
     * @param pending the revisions not applied yet
     * @param lock the lock, or null
     * @param recordedByPythonTool whether the namespace has no fhirmig state and the heads are the
     *     revision the Python tool recorded on the server: runs refuse until {@code Fhirmig.adopt()}
     */
    public CurrentState {
        heads = List.copyOf(heads);
        pending = List.copyOf(pending);
    }

    /**
     * A state fhirmig recorded.
     *
     * @param namespace the namespace
     * @param heads the applied heads
     * @param pending the revisions not applied yet
     * @param lock the lock, or null
     */
    public CurrentState(String namespace, List<String> heads, List<String> pending, Lock lock) {
        this(namespace, heads, pending, lock, false);
    }

    /**
     * The lock a run holds on a namespace's state.
     *
     * @param owner who holds it: user, host, process and run
     * @param step what it is doing, e.g. {@code upgrade d5a1c49e8efb (0002_add_phone_number.groovy)}
     * @param expiresAt when it lapses unless renewed
     */
    public record Lock(String owner, String step, Instant expiresAt) {
    }

    /**
     * The single applied head.
     *
     * @return the head, or empty when nothing is applied (base)
     * @throws IllegalStateException when several heads are applied (a branch)
     */
    public Optional<String> head() {
        return single(heads);
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
