package io.fhirmig.api;

import java.util.List;

/**
 * A run stopped from outside, as a process is asked to exit: its lock released, the steps that
 * succeeded committed; the step it was in is not recorded.
 *
 * @param step the step it was in, as its lock named it
 * @param heads the heads it had committed: where the server stands
 */
public record StoppedRun(String step, List<String> heads) {

    /**
     * Makes the list unmodifiable.
     *
     * @param step the step it was in
     * @param heads the heads committed
     */
    public StoppedRun {
        heads = List.copyOf(heads);
    }
}
