package io.fhirmig.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A migration script that {@code Fhirmig.generate(String)} wrote.
 *
 * @param file the path written, inside the versions folder
 * @param revision its new revision id
 * @param downRevisions its parent(s): the head applied on the server; empty for the first migration
 */
public record GeneratedScript(Path file, String revision, List<String> downRevisions) {

    /**
     * Makes the list unmodifiable.
     *
     * @param file the path written
     * @param revision its new revision id
     * @param downRevisions its parent(s)
     */
    public GeneratedScript {
        downRevisions = List.copyOf(downRevisions);
    }
}
