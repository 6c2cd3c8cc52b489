package io.fhirmig.graph;

import java.util.List;
import java.util.Objects;

/**
 * One thing that keeps a set of migrations from forming a valid revision graph.
 *
 * @param kind    what is wrong
 * @param message a sentence for the user: what is wrong, in which files, and what to do
 * @param files   every file involved, sorted
 */
public record GraphProblem(Kind kind, String message, List<String> files) {

    /** The kinds of problem {@link RevisionGraph#validate} reports. */
    public enum Kind {
        /** Two or more files declare the same revision id. */
        DUPLICATE_REVISION,
        /** A revision id has characters other than letters, digits, '_' and '-'. */
        INVALID_REVISION_ID,
        /** A downRevision names a revision that no file declares. */
        UNKNOWN_DOWN_REVISION,
        /** A downRevision list names the same revision more than once. */
        REPEATED_DOWN_REVISION,
        /** The downRevision links form a cycle, so some migration would come after itself. */
        CYCLE,
        /** More than one migration has no downRevision. */
        MULTIPLE_ROOTS
    }

    /**
     * Copies the file list so that a problem cannot change.
     *
     * @param kind    what is wrong
     * @param message the sentence for the user
     * @param files   every file involved
     */
    public GraphProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        files = List.copyOf(files);
    }
}
