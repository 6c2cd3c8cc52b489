package io.fhirmig.api;

import java.time.Duration;
import java.time.Instant;

/**
 * One migration of the status view ({@link StatusView}): its state, and when it is applied, the
 * record the server keeps of it.
 *
 * @param state applied, pending, edited since applied, or missing its file
 * @param revision the revision id
 * @param file the script's file name: the current one, or for a missing migration the one recorded
 *     on the server (null when the server has no record of it)
 * @param description the script's description, or null (always null when the file is missing)
 * @param appliedAt when it was applied, or null (pending, or applied without a record: stamped by an
 *     older tool, or recorded by the Python tool)
 * @param appliedBy who applied it ({@code user@host}), or null
 * @param duration how long its {@code upgrade()} took, or null without a record
 * @param checksum the checksum recorded when it was applied ({@code sha256:...}); for a pending
 *     migration the file's; null for an applied migration without a record
 * @param fileChecksum the checksum of the file as it is now, or null when the file is missing
 * @param adoptedFrom for a record taken over from the Python tool, its resource ({@code Basic/ID});
 *     otherwise null
 */
public record MigrationStatus(State state, String revision, String file, String description, Instant appliedAt,
        String appliedBy, Duration duration, String checksum, String fileChecksum, String adoptedFrom) {

    /** Where a migration stands, between its file and the server's state. */
    public enum State {
        /** Applied on the server, with its file unchanged since (or without a record to compare). */
        APPLIED,
        /** Not applied yet: the next upgrade applies it. */
        PENDING,
        /** Applied, but its file changed since: the checksum recorded differs from the file's. */
        EDITED,
        /** Applied on the server, but no script declares its revision any more. */
        MISSING
    }

    /**
     * Whether the server counts it as applied: every state but pending.
     *
     * @return true unless pending
     */
    public boolean applied() {
        return state != State.PENDING;
    }
}
