package io.fhirmig.state;

import java.time.Instant;

/**
 * What the server keeps about one applied revision, as Flyway's history table does.
 *
 * @param revision the revision id
 * @param checksum the script's checksum when it was applied ({@code sha256:...})
 * @param file the script's file name
 * @param appliedAt when the step committed
 * @param appliedBy who ran it ({@code user@host})
 * @param durationMs how long the script's {@code upgrade()} took
 * @param adoptedFrom for a revision applied by the Python tool and adopted ({@code fhirmig adopt}):
 *     the id of the tool's {@code Basic} on the server; null for a revision fhirmig applied
 * @param adoptedLastUpdated the {@code meta.lastUpdated} of the tool's resource when it was adopted
 *     (when the tool last recorded a revision), or null
 */
public record AppliedRecord(
        String revision, String checksum, String file, Instant appliedAt, String appliedBy, long durationMs,
        String adoptedFrom, Instant adoptedLastUpdated) {

    /** A record of a revision fhirmig applied (or stamped): not adopted. */
    public AppliedRecord(String revision, String checksum, String file, Instant appliedAt, String appliedBy,
            long durationMs) {
        this(revision, checksum, file, appliedAt, appliedBy, durationMs, null, null);
    }

    /** Whether the revision was applied by the Python tool and adopted, not run by fhirmig. */
    public boolean adopted() {
        return adoptedFrom != null;
    }
}
