package io.fhirmig.script;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A migration script as found on disk: what its header declares, without any of its code run.
 *
 * <p>It keeps the script's text so that the code that runs later is exactly the code that was
 * checksummed now, even if the file changes in between. At a few kilobytes a script that is a few
 * megabytes for thousands of scripts, which is cheap for that guarantee.
 *
 * @param file the script's path
 * @param fileName the file's name, e.g. {@code 0002_add_phone_number.groovy}; it names the script
 *     in every message
 * @param revision the script's revision id
 * @param downRevisions the parents' revision ids: empty for a first migration, one for most, more
 *     for a merge
 * @param description what the migration does, or {@code null} if the script declares none
 * @param transactional whether the migration's writes should join its step's transaction
 * @param checksum {@link Checksums#of(String)} of the text
 * @param text the script's text, normalised by {@link Checksums#normalize(String)}
 */
public record MigrationScript(
        Path file,
        String fileName,
        String revision,
        List<String> downRevisions,
        String description,
        boolean transactional,
        String checksum,
        String text) {

    /**
     * Checks the required parts and makes the parents list unmodifiable.
     *
     * @param file the script's path
     * @param fileName the file's name
     * @param revision the script's revision id
     * @param downRevisions the parents' revision ids
     * @param description what the migration does, or {@code null}
     * @param transactional whether the migration's writes join its step's transaction
     * @param checksum the text's checksum
     * @param text the script's normalised text
     */
    public MigrationScript {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(revision, "revision");
        downRevisions = List.copyOf(downRevisions);
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(text, "text");
    }

    /** {@return whether this is a first migration, one with no parent} */
    public boolean isRoot() {
        return downRevisions.isEmpty();
    }

    /** {@return a short description that leaves out the text, which can be long} */
    @Override
    public String toString() {
        return "MigrationScript[" + fileName + ", revision=" + revision
                + ", downRevisions=" + downRevisions + "]";
    }
}
