package io.fhirmig.graph;

import io.fhirmig.api.FhirmigException;
import java.util.List;

/**
 * Thrown by {@link RevisionGraph#build} when the migrations do not form a valid graph. It carries
 * every problem found, and its message lists them all, so one run shows everything to fix.
 */
public final class InvalidGraphException extends FhirmigException {

    private static final long serialVersionUID = 1L;

    /** Kept as an immutable list, which is serializable. */
    private final List<GraphProblem> problems;

    /**
     * Creates the exception for a non-empty list of problems.
     *
     * @param problems what is wrong, in the order to show it
     */
    public InvalidGraphException(List<GraphProblem> problems) {
        super(Kind.INVALID_MIGRATIONS, message(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found, in the order of the message.
     *
     * @return the problems, never empty
     */
    public List<GraphProblem> problems() {
        return problems;
    }

    private static String message(List<GraphProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid graph has at least one problem");
        }
        StringBuilder text = new StringBuilder("The migrations do not form a valid revision graph (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (GraphProblem problem : problems) {
            text.append('\n').append("  - ").append(problem.message());
        }
        return text.toString();
    }
}
