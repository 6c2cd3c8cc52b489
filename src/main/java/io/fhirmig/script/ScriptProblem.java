package io.fhirmig.script;

import java.util.Objects;

/**
 * One thing wrong with a migration script, as a user should read it.
 *
 * @param file the script's file name, e.g. {@code 0002_add_phone_number.groovy}
 * @param line the line the problem is on, or {@code null} when it is about the whole file (a
 *     missing declaration, an unreadable file)
 * @param message what is wrong and, where it helps, what to write instead
 */
public record ScriptProblem(String file, Integer line, String message) {

    /**
     * Checks that the file and message are present.
     *
     * @param file the script's file name
     * @param line the line, or {@code null}
     * @param message what is wrong
     */
    public ScriptProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Returns the problem as {@code file:line: message}, or {@code file: message} without a line,
     * the form compilers use and editors can jump to.
     */
    @Override
    public String toString() {
        return line == null ? file + ": " + message : file + ":" + line + ": " + message;
    }
}
