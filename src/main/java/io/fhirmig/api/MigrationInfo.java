package io.fhirmig.api;

import java.time.Duration;
import java.time.Instant;

/**
 * One migration: applied (with its record on the server) or pending.
 *
 * @param revision the revision id
 * @param file the script's file name
 * @param description the script's description, or null (and for an applied one, null when its script
 *     is gone)
 * @param applied whether it is applied
 * @param appliedAt when it was applied, or null (pending, or applied without a record, e.g. by a stamp
 *     of an older tool)
 * @param appliedBy who applied it ({@code user@host}), or null
 * @param duration how long its {@code upgrade()} took, or null when pending
 * @param checksum the checksum of the script when it was applied ({@code sha256:...}), or its current
 *     one when pending; null for an applied migration without a record
 * @param adoptedFrom for a record taken over from the Python tool, its resource ({@code Basic/ID});
 *     otherwise null
 */
public record MigrationInfo(String revision, String file, String description, boolean applied, Instant appliedAt,
        String appliedBy, Duration duration, String checksum, String adoptedFrom) {
}
