package io.fhirmig.run;

import io.fhirmig.api.MigrationStep;
import io.fhirmig.graph.Plan;
import java.util.List;

/**
 * What an upgrade or downgrade did.
 *
 * @param plan the plan computed under the lock (for a dry run: without it)
 * @param steps the steps that ran and committed, in order (empty for a dry run)
 * @param headsBefore the applied heads before the run
 * @param headsAfter the applied heads after the run
 * @param dryRun whether nothing was changed on purpose
 */
public record RunResult(Plan plan, List<MigrationStep> steps, List<String> headsBefore, List<String> headsAfter,
        boolean dryRun) {
}
