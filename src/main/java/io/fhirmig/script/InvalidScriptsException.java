package io.fhirmig.script;

import io.fhirmig.api.FhirmigException;
import java.util.List;

/**
 * Migration scripts that cannot be used: syntax errors, missing declarations, bad revision ids,
 * unreadable files. Its message lists every problem, one {@code file:line: message} a line.
 */
public class InvalidScriptsException extends FhirmigException {

    /** Serialisation version; exceptions are serializable. */
    private static final long serialVersionUID = 1L;

    /** The problems the message lists. */
    private final List<ScriptProblem> problems;

    /**
     * Creates the exception for the given problems.
     *
     * @param problems the problems, at least one, in the order they should be shown
     */
    public InvalidScriptsException(List<ScriptProblem> problems) {
        super(Kind.INVALID_MIGRATIONS, message(problems));
        this.problems = List.copyOf(problems);
    }

    /** {@return the problems, in the order they are listed in the message} */
    public List<ScriptProblem> problems() {
        return problems;
    }

    private static String message(List<ScriptProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems to report");
        }
        StringBuilder message = new StringBuilder()
                .append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
                .append(" in migration scripts:");
        for (ScriptProblem problem : problems) {
            message.append('\n').append(problem);
        }
        return message.toString();
    }
}
