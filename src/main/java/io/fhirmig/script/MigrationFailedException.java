package io.fhirmig.script;

import io.fhirmig.api.FhirmigException;

/**
 * A migration's own code failed. The message names the script file and line and says what went
 * wrong, e.g. {@code 0002_add_phone_number.groovy:14: upgrade() failed: ResourceNotFoundException:
 * HTTP 404 Not Found: ...}; the cause is the script's original error.
 */
public class MigrationFailedException extends FhirmigException {

    /** Serialisation version; exceptions are serializable. */
    private static final long serialVersionUID = 1L;

    /** The script's file name. */
    private final String fileName;
    /** The script's line where the error was raised, or {@code null}. */
    private final Integer line;
    /** What was running, e.g. {@code upgrade()}. */
    private final String function;

    /**
     * Creates the exception.
     *
     * @param fileName the script's file name
     * @param line the line of the script where the error was raised, or {@code null} if unknown
     * @param function what was running: {@code upgrade()}, {@code downgrade()}, or the script's
     *     top-level code
     * @param cause the script's original error
     */
    public MigrationFailedException(String fileName, Integer line, String function, Throwable cause) {
        super(Kind.MIGRATION_FAILED, message(fileName, line, function, cause), cause);
        this.fileName = fileName;
        this.line = line;
        this.function = function;
    }

    /** {@return the script's file name} */
    public String fileName() {
        return fileName;
    }

    @Override
    public String file() {
        return fileName;
    }

    /** {@return the line of the script where the error was raised, or {@code null} if unknown} */
    @Override
    public Integer line() {
        return line;
    }

    /** {@return what was running, e.g. {@code upgrade()}} */
    public String function() {
        return function;
    }

    private static String message(String fileName, Integer line, String function, Throwable cause) {
        String where = line == null ? fileName : fileName + ":" + line;
        // The type matters to a reader: "ResourceNotFoundException: HTTP 404" says more than "HTTP 404".
        String what = cause.getMessage() == null
                ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return where + ": " + function + " failed: " + what;
    }
}
