package io.fhirmig.script;

import java.util.List;

/**
 * What {@link ScriptLoader#scan(java.nio.file.Path)} found: the scripts that are fine, and the
 * problems of those that are not.
 *
 * @param scripts the usable scripts, ordered by file name
 * @param problems every problem of every unusable script, ordered by file name
 */
public record ScanResult(List<MigrationScript> scripts, List<ScriptProblem> problems) {

    /**
     * Makes both lists unmodifiable.
     *
     * @param scripts the usable scripts
     * @param problems the problems of the others
     */
    public ScanResult {
        scripts = List.copyOf(scripts);
        problems = List.copyOf(problems);
    }

    /** {@return whether any script has a problem} */
    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /**
     * Returns the scripts if no script has a problem.
     *
     * @return the scripts, ordered by file name
     * @throws InvalidScriptsException listing every problem, if there is any
     */
    public List<MigrationScript> scriptsOrThrow() {
        if (hasProblems()) {
            throw new InvalidScriptsException(problems);
        }
        return scripts;
    }
}
