package io.fhirmig.script;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A migration script as found on disk: what its header declares, without any of its code run.
 *
 * <p>The code that runs is always the code that was checksummed: a script read now keeps its text,
 * and a script whose checksum came from the cache ({@link FileStamps}, the file unchanged since it
 * was read) reads its text when it is asked for it and refuses a text with another checksum.
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
 * @param text the script's text, normalised by {@link Checksums#normalize(String)}; {@code null} to
 *     read it from the file when {@link #text()} is asked
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
     * @param text the script's normalised text, or {@code null} to read it when asked
     */
    public MigrationScript {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(revision, "revision");
        downRevisions = List.copyOf(downRevisions);
        Objects.requireNonNull(checksum, "checksum");
    }

    /**
     * The script's normalised text: the text it was read with, or else the file's text now, which
     * must still have the script's checksum.
     *
     * @return the text whose checksum is {@link #checksum()}
     * @throws InvalidScriptsException if the file cannot be read or no longer has this checksum
     */
    @Override
    public String text() {
        if (text != null) {
            return text;
        }
        String now;
        try {
            now = ScriptLoader.readText(file);
        } catch (IOException e) {
            throw changed("cannot be read any more: " + ScriptLoader.reason(e) + "; run the command again");
        }
        if (!Checksums.of(now).equals(checksum)) {
            // Only a rewrite that also set the modification time back gets here, or one during this run.
            throw changed("changed since fhirmig read it (its checksum is no longer " + checksum
                    + "); run the command again, after touching the file if its modification time was set back");
        }
        return now;
    }

    private InvalidScriptsException changed(String what) {
        return new InvalidScriptsException(List.of(new ScriptProblem(fileName, null, what)));
    }

    /**
     * Compares everything but the text, which the checksum stands for: a script read now and the same
     * script whose text is read when it runs are equal.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof MigrationScript that
                && file.equals(that.file) && fileName.equals(that.fileName) && revision.equals(that.revision)
                && downRevisions.equals(that.downRevisions) && Objects.equals(description, that.description)
                && transactional == that.transactional && checksum.equals(that.checksum);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, fileName, revision, downRevisions, description, transactional, checksum);
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
