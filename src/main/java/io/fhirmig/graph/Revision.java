package io.fhirmig.graph;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One migration as the revision graph sees it: its id, the ids of its parents and the file that
 * declares it. This is the graph's only input; the script package builds these from migration
 * scripts.
 *
 * @param id            the revision id, matching {@link #ID_PATTERN}
 * @param downRevisions the ids of its parents, in the order the script lists them: empty for the
 *                      first migration (a root), several for a merge; {@code null} means empty
 * @param file          the source file name, used in messages and to break ties between
 *                      revisions that could run in either order
 */
public record Revision(String id, List<String> downRevisions, String file) {

    /** What a revision id may look like: letters, digits, '_' and '-'. */
    public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9_-]+");

    /**
     * Copies the parent list so that a revision cannot change after the graph is built.
     *
     * @param id            the revision id
     * @param downRevisions the ids of its parents; {@code null} means none
     * @param file          the source file name
     */
    public Revision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(file, "file");
        downRevisions = downRevisions == null ? List.of() : List.copyOf(downRevisions);
    }

    /**
     * Tells whether this revision has no parent, that is whether it is a first migration.
     *
     * @return true when {@link #downRevisions()} is empty
     */
    public boolean isRoot() {
        return downRevisions.isEmpty();
    }

    /**
     * Tells whether this revision joins several branches.
     *
     * @return true when it has more than one parent
     */
    public boolean isMerge() {
        return downRevisions.size() > 1;
    }

    /** "id (file)", the way messages name a revision. */
    String label() {
        return id + " (" + file + ")";
    }
}
