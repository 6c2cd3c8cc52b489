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
 */
public record AppliedRecord(
        String revision, String checksum, String file, Instant appliedAt, String appliedBy, long durationMs) {
}
