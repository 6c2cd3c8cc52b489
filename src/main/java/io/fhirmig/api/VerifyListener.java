package io.fhirmig.api;

/**
 * Told how {@code Fhirmig.verify()} gets on, so that whoever runs it can show progress: the command
 * line prints a line per migration as it finishes and, on a terminal, a spinner while a step runs.
 */
public interface VerifyListener {

    /** Shows nothing. */
    VerifyListener NONE = new VerifyListener() {
    };

    /**
     * A step starts.
     *
     * @param file the migration's file
     * @param step what runs, e.g. {@code upgrade() again}
     */
    default void stepStarted(String file, String step) {
    }

    /** The step that started last has ended. */
    default void stepEnded() {
    }

    /**
     * A migration's checks are done.
     *
     * @param result its checks
     */
    default void revisionDone(VerifyReport.RevisionResult result) {
    }
}
