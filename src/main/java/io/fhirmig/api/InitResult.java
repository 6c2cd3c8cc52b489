package io.fhirmig.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code Fhirmig.init(Path)} made of a new project.
 *
 * @param created the folders and files created
 * @param updated the files added to (a {@code .gitignore} that now leaves {@code .fhirmig/} out)
 */
public record InitResult(List<Path> created, List<Path> updated) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param created what was created
     * @param updated what was added to
     */
    public InitResult {
        created = List.copyOf(created);
        updated = List.copyOf(updated);
    }
}
