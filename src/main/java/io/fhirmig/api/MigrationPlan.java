package io.fhirmig.api;

import java.util.List;

/**
 * What an upgrade or downgrade to a target would run, worked out without running anything.
 *
 * @param direction upgrade or downgrade
 * @param headsBefore the applied heads now
 * @param headsAfter the applied heads once every step has run
 * @param steps the steps, in order
 */
public record MigrationPlan(Direction direction, List<String> headsBefore, List<String> headsAfter,
        List<Step> steps) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param direction the direction
     * @param headsBefore the heads now
     * @param headsAfter the heads after
     * @param steps the steps
     */
    public MigrationPlan {
        headsBefore = List.copyOf(headsBefore);
        headsAfter = List.copyOf(headsAfter);
        steps = List.copyOf(steps);
    }

    /**
     * One step of a plan.
     *
     * @param direction upgrade or downgrade
     * @param revision the revision id
     * @param file the script's file name
     * @param description the script's description, or null
     * @param transactional whether it runs in one transaction Bundle
     * @param headsAfter the applied heads once it has run
     */
    public record Step(Direction direction, String revision, String file, String description, boolean transactional,
            List<String> headsAfter) {

        /**
         * Makes the list unmodifiable.
         *
         * @param direction the direction
         * @param revision the revision id
         * @param file the file name
         * @param description the description
         * @param transactional whether it is transactional
         * @param headsAfter the heads after it
         */
        public Step {
            headsAfter = List.copyOf(headsAfter);
        }
    }

    /**
     * Whether there is nothing to do.
     *
     * @return true when the plan has no step
     */
    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
