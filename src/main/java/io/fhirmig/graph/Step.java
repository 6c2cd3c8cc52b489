package io.fhirmig.graph;

import io.fhirmig.api.Direction;
import java.util.List;
import java.util.Objects;

/**
 * One step of a plan: run one revision's script in one direction.
 *
 * @param revision   the revision whose {@code upgrade()} or {@code downgrade()} runs
 * @param direction  which of the two runs
 * @param headsAfter the heads of the applied set once this step is done, sorted by id; the caller
 *                   stores exactly these on the server when the step commits (empty means base)
 */
public record Step(Revision revision, Direction direction, List<String> headsAfter) {

    /**
     * Copies the heads so that a stored plan cannot change.
     *
     * @param revision   the revision that runs
     * @param direction  which way it runs
     * @param headsAfter the heads once the step is done, sorted by id
     */
    public Step {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(direction, "direction");
        headsAfter = List.copyOf(headsAfter);
    }
}
