package io.fhirmig.generate;

import java.util.List;
import java.util.Objects;

/**
 * What a new migration should be.
 *
 * @param name the {@code NAME} of {@code NNNN_NAME.groovy}: letters, digits and {@code _} only
 * @param message what the migration is for, or {@code null}; it becomes the description
 * @param revision the revision id to use, or {@code null} for a new random 12-hex id
 * @param downRevisions the parent(s): empty for a first migration, several for a merge
 * @param merge whether this is a merge migration (the template leaves its functions empty)
 * @param createdBy who creates it, e.g. {@code alice@build-7}, for the header comment
 */
public record NewMigration(String name, String message, String revision, List<String> downRevisions,
        boolean merge, String createdBy) {

    /** Checks the required parts and makes the parents list unmodifiable. */
    public NewMigration {
        Objects.requireNonNull(name, "name");
        downRevisions = List.copyOf(downRevisions);
        Objects.requireNonNull(createdBy, "createdBy");
    }
}
