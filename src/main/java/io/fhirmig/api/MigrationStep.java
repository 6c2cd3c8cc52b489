package io.fhirmig.api;

import java.time.Duration;
import java.util.List;

/**
 * One migration that an upgrade or a downgrade ran and committed.
 *
 * @param revision the migration's revision id
 * @param file the migration's file name, e.g. {@code 0002_add_phone_number.groovy}
 * @param direction whether its {@code upgrade()} or its {@code downgrade()} ran
 * @param duration how long the script's function took
 * @param bulk what its bulk operations did, in the order they finished
 */
public record MigrationStep(String revision, String file, Direction direction, Duration duration,
        List<BulkResult> bulk) {

    /**
     * Makes the list unmodifiable.
     *
     * @param revision the revision id
     * @param file the file name
     * @param direction the direction
     * @param duration how long it took
     * @param bulk its bulk operations
     */
    public MigrationStep {
        bulk = List.copyOf(bulk);
    }

    /**
     * A step without bulk operations.
     *
     * @param revision the revision id
     * @param file the file name
     * @param direction the direction
     * @param duration how long it took
     */
    public MigrationStep(String revision, String file, Direction direction, Duration duration) {
        this(revision, file, direction, duration, List.of());
    }
}
