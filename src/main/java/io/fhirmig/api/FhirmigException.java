package io.fhirmig.api;

/**
 * The one exception type that fhirmig's engine throws for anything a user must act on.
 *
 * <p>Its message is meant to be shown as it is: it says what went wrong, where (file, line,
 * revision) and what to do. The {@link Kind} tells the command line which exit code to use, so that
 * nothing below the command line needs to know about exit codes.
 */
public class FhirmigException extends RuntimeException {

    /** What kind of failure this is; each maps to one documented exit code. */
    public enum Kind {
        /** A migration's own code failed (exit 1). */
        MIGRATION_FAILED(1),
        /** Bad usage: an unknown target, a bad name, a bad option value (exit 2). */
        USAGE(2),
        /** Invalid migrations: graph, script or checksum problems (exit 3). */
        INVALID_MIGRATIONS(3),
        /** The FHIR server could not be used: unreachable, HTTP error, authentication (exit 4). */
        SERVER(4),
        /** Locked by another run, or the state changed under this run (exit 5). */
        CONCURRENT(5);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /**
         * The command line's exit code for this kind.
         *
         * @return 1 to 5
         */
        public int exitCode() {
            return exitCode;
        }
    }

    /** What kind of failure this is. */
    private final Kind kind;
    /** What went wrong, without the remedy; the message when there is no remedy. */
    private final String problem;
    /** What to do, when it is a setting; or {@code null}. */
    private final Remedy remedy;

    /**
     * An exception with a message for the user.
     *
     * @param kind what kind of failure it is
     * @param message what went wrong, where, and what to do
     */
    public FhirmigException(Kind kind, String message) {
        this(kind, message, (Throwable) null);
    }

    /**
     * An exception with a message for the user and the exception that caused it.
     *
     * @param kind what kind of failure it is
     * @param message what went wrong, where, and what to do
     * @param cause what was thrown underneath
     */
    public FhirmigException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.problem = message;
        this.remedy = null;
    }

    /**
     * An exception whose remedy is a setting: its message is the problem followed by the remedy as
     * the library words it.
     *
     * @param kind what kind of failure it is
     * @param problem what went wrong and where
     * @param remedy what to do
     * @param cause what was thrown underneath, or {@code null}
     */
    public FhirmigException(Kind kind, String problem, Remedy remedy, Throwable cause) {
        super(problem + remedy.forLibrary(), cause);
        this.kind = kind;
        this.problem = problem;
        this.remedy = remedy;
    }

    /**
     * What went wrong, without the remedy.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }

    /**
     * What to do, when it is a setting.
     *
     * @return the remedy, or {@code null}
     */
    public Remedy remedy() {
        return remedy;
    }

    /**
     * What kind of failure this is.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The migration script the failure is in, when it is in one (a migration that threw).
     *
     * @return the script's file name, or {@code null}
     */
    public String file() {
        FhirmigException cause = scriptCause();
        return cause == null ? null : cause.file();
    }

    /**
     * The line of {@link #file()} where it failed, when known.
     *
     * @return the line, or {@code null}
     */
    public Integer line() {
        FhirmigException cause = scriptCause();
        return cause == null ? null : cause.line();
    }

    /** The failure of a script that this one reports (a run's failure wraps its step's). */
    private FhirmigException scriptCause() {
        for (Throwable t = getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof FhirmigException fhirmig) {
                return fhirmig;
            }
        }
        return null;
    }
}
