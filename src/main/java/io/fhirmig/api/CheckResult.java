package io.fhirmig.api;

import io.fhirmig.api.FhirmigException;
import java.util.List;
import java.util.Optional;

/**
 * The answers of {@code Fhirmig.check()}: the scripts and the graph, the server, the checksums of
 * applied scripts, the lock.
 *
 * @param checks each check, in the order they ran
 */
public record CheckResult(List<Check> checks) {

    /**
     * Makes the list unmodifiable.
     *
     * @param checks each check, in the order they ran
     */
    public CheckResult {
        checks = List.copyOf(checks);
    }

    /**
     * One check.
     *
     * @param name what was checked: {@code migrations}, {@code server}, {@code checksums} or {@code lock}
     * @param ok whether it passed
     * @param detail what was found, or what is wrong and what to do
     * @param problem the kind of the problem, or null when it passed
     */
    public record Check(String name, boolean ok, String detail, FhirmigException.Kind problem) {
    }

    /**
     * Whether every check passed.
     *
     * @return true when there is no problem
     */
    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    /**
     * The first check that failed.
     *
     * @return it, or empty when every check passed
     */
    public Optional<Check> firstProblem() {
        return checks.stream().filter(c -> !c.ok()).findFirst();
    }
}
