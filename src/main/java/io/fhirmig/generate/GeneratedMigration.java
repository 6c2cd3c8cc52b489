package io.fhirmig.generate;

import java.nio.file.Path;
import java.util.List;

/**
 * A migration script that {@link Generator} wrote.
 *
 * @param file the path written, inside the versions folder
 * @param fileName its file name, e.g. {@code 0004_add_flag.groovy}
 * @param revision its revision id
 * @param downRevisions its parent(s), as written
 * @param template where the template came from (a file path, or {@link MigrationTemplate#BUILT_IN})
 * @param name the NAME of {@code NNNN_NAME.groovy}: the name given, or its slug ({@link Generator#slug})
 */
public record GeneratedMigration(Path file, String fileName, String revision, List<String> downRevisions,
        String template, String name) {

    /** Makes the parents list unmodifiable. */
    public GeneratedMigration {
        downRevisions = List.copyOf(downRevisions);
    }
}
