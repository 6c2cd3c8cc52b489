package io.fhirmig.api;

import java.time.Instant;
import java.util.List;

/**
 * What {@code Fhirmig.adopt()} took over from the Python tool fhirmig descends from.
 *
 * @param toolResource the tool's resource on the server, e.g. {@code Basic/123}; left unchanged
 * @param revision the revision the tool recorded, now the namespace's head
 * @param toolLastUpdated when the tool last wrote its resource ({@code meta.lastUpdated}), or null
 * @param recorded the revisions recorded as applied, the tool's and its ancestors, in the order the
 *     graph applies them; empty when the namespace had adopted the tool's revision before
 * @param dryRun whether nothing was written (the revisions are those that would be recorded)
 */
public record AdoptResult(String toolResource, String revision, Instant toolLastUpdated, List<String> recorded,
        boolean dryRun) {

    /**
     * Makes the list unmodifiable.
     *
     * @param toolResource the tool's resource
     * @param revision the tool's revision
     * @param toolLastUpdated when the tool last wrote it
     * @param recorded the revisions recorded
     * @param dryRun whether nothing was written
     */
    public AdoptResult {
        recorded = List.copyOf(recorded);
    }
}
