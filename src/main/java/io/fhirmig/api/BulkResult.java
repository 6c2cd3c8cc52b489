package io.fhirmig.api;

/**
 * What one bulk operation of a step ({@code migration.forEach}, {@code create(resources)},
 * {@code deleteAll}) did, or under a dry run would do.
 *
 * @param operation {@code forEach}, {@code create} or {@code deleteAll}
 * @param query the search it ran over, or null for a create
 * @param matched the resources it found (or was given)
 * @param changed the resources it wrote (under a dry run: would write)
 * @param skipped the resources its closure left unchanged
 * @param conflicts the writes refused because someone else changed the resource meanwhile
 * @param failed the writes refused for another reason
 */
public record BulkResult(String operation, String query, long matched, long changed, long skipped, long conflicts,
        long failed) {
}
