package io.fhirmig.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What an upgrade, a downgrade or a stamp did.
 *
 * @param steps the migrations that ran and committed, in order (empty when there was nothing to
 *     do, and for a stamp)
 * @param headsBefore the applied heads before (empty: nothing was applied)
 * @param headsAfter the applied heads after (empty: nothing is applied)
 * @param duration how long the whole call took
 */
public record MigrationResult(List<MigrationStep> steps, List<String> headsBefore, List<String> headsAfter,
        Duration duration) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param steps the migrations that ran
     * @param headsBefore the applied heads before
     * @param headsAfter the applied heads after
     * @param duration how long the call took
     */
    public MigrationResult {
        steps = List.copyOf(steps);
        headsBefore = List.copyOf(headsBefore);
        headsAfter = List.copyOf(headsAfter);
    }

    /**
     * The single applied head after the call.
     *
     * @return the head, or empty when nothing is applied (base)
     * @throws IllegalStateException when several heads are applied (a branch)
     */
    public Optional<String> head() {
        return CurrentState.single(headsAfter);
    }

    /**
     * Whether the call changed which migrations are applied.
     *
     * @return false when there was nothing to do
     */
    public boolean changed() {
        return !headsBefore.equals(headsAfter) || !steps.isEmpty();
    }
}
