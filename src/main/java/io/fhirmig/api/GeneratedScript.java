package io.fhirmig.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A migration script that {@code Fhirmig.generate} or {@code Fhirmig.merge} wrote.
 *
 * @param name the migration's name in its file name ({@code NNNN_NAME.groovy}): the name asked for, made
 *     a slug ({@code activate-patients} gives {@code activate_patients}); for a merge, the name fhirmig chose
 * @param file the path written, inside the versions folder
 * @param revision its new revision id
 * @param downRevisions its parent(s): the head applied on the server (for a merge, the heads it
 *     joins); empty for the first migration
 * @param template the template it was written from: its path, or {@code built-in}
 */
public record GeneratedScript(String name, Path file, String revision, List<String> downRevisions, String template) {

    /**
     * Makes the list unmodifiable.
     *
     * @param name the migration's name
     * @param file the path written
     * @param revision its new revision id
     * @param downRevisions its parent(s)
     * @param template the template's path, or {@code built-in}
     */
    public GeneratedScript {
        downRevisions = List.copyOf(downRevisions);
    }
}
