package io.fhirmig.api;

import java.time.Duration;

/**
 * One migration that an upgrade or a downgrade ran and committed.
 *
 * @param revision the migration's revision id
 * @param file the migration's file name, e.g. {@code 0002_add_phone_number.groovy}
 * @param direction whether its {@code upgrade()} or its {@code downgrade()} ran
 * @param duration how long the script's function took
 */
public record MigrationStep(String revision, String file, Direction direction, Duration duration) {

}
