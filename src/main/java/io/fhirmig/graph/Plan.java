package io.fhirmig.graph;

import io.fhirmig.api.Direction;
import java.util.List;
import java.util.Objects;

/**
 * The steps that move the applied set from where it is to a target, in the order they must run.
 * An empty plan means there is nothing to do, which is not an error.
 *
 * @param direction whether the plan applies or reverts revisions
 * @param steps     the steps, in order; every step has this plan's direction
 */
public record Plan(Direction direction, List<Step> steps) {

    /**
     * Copies the steps so that a plan cannot change after it is made.
     *
     * @param direction whether the plan applies or reverts revisions
     * @param steps     the steps, in order
     */
    public Plan {
        Objects.requireNonNull(direction, "direction");
        steps = List.copyOf(steps);
    }

    /**
     * Tells whether there is nothing to do.
     *
     * @return true when the plan has no step
     */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * The ids of the revisions the steps run, in order.
     *
     * @return one id per step
     */
    public List<String> revisionIds() {
        return steps.stream().map(s -> s.revision().id()).toList();
    }
}
