package io.fhirmig.run;

import io.fhirmig.api.BulkResult;
import java.util.List;

/**
 * What one bulk operation ({@code forEach}, {@code create(resources)}, {@code deleteAll}) did.
 *
 * @param operation {@code forEach}, {@code create} or {@code deleteAll}
 * @param query the search it ran over, or {@code null} for a create
 * @param matched resources the search returned (or resources given to a create)
 * @param changed resources written (under a dry run: that would have been written)
 * @param skipped resources the closure left unchanged (it returned {@code null})
 * @param conflicts writes refused because someone else changed the resource meanwhile (409/412)
 * @param failed writes refused for another reason
 * @param conflictIds the ids of the conflicting resources, e.g. {@code Patient/123} (the first 100)
 * @param failures the failed writes, id and reason (the first 100)
 * @param durationMs how long it took
 * @param dryRun whether nothing was written
 * @param metaRemoved resources whose removed meta.tag, meta.security or meta.profile entries were
 *        removed with {@code $meta-delete} after their update (an update alone does not remove them)
 */
public record BulkSummary(String operation, String query, long matched, long changed, long skipped,
        long conflicts, long failed, List<String> conflictIds, List<String> failures, long durationMs,
        boolean dryRun, long metaRemoved) {

    public BulkSummary {
        conflictIds = List.copyOf(conflictIds);
        failures = List.copyOf(failures);
    }

    /** {@return resources handled per second (matched, or written for a create)} */
    public double perSecond() {
        return durationMs == 0 ? 0 : matched * 1000.0 / durationMs;
    }

    /** {@return the counts, as the library's results give them} */
    public BulkResult result() {
        return new BulkResult(operation, query, matched, changed, skipped, conflicts, failed);
    }

    /** One line for the console. */
    public String describe() {
        String what = operation + (query == null ? "" : " " + query) + (dryRun ? " (dry run)" : "");
        return String.format("%s: matched %d, %s %d, skipped %d, conflicts %d, failed %d%s in %.1f s (%.0f/s)",
                what, matched, dryRun ? "would change" : "changed", changed, skipped, conflicts, failed,
                metaRemoved == 0 ? "" : " (tags, security labels or profiles removed with $meta-delete on " + metaRemoved + ")",
                durationMs / 1000.0, perSecond());
    }
}
