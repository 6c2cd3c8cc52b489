package io.fhirmig.api;

import java.time.Duration;
import java.time.Instant;

/**
 * One migration of the history: applied (with its record on the server) or pending.
 *
 * @param revision the revision id
 * @param file the script's file name
 * @param applied whether it is applied
 * @param appliedAt when it was applied, or null (pending, or applied without a record, e.g. by a stamp
 *     of an older tool)
 * @param appliedBy who applied it ({@code user@host}), or null
 * @param duration how long its {@code upgrade()} took, or null when pending
 * @param checksum the checksum of the script when it was applied ({@code sha256:...}), or its current
 *     one when pending; null for an applied migration without a record
 */
public record MigrationInfo(String revision, String file, boolean applied, Instant appliedAt, String appliedBy,
        Duration duration, String checksum) {
}
