package io.fhirmig.state;

import io.fhirmig.api.FhirmigException;

/**
 * The migration state contradicts itself (several state resources that disagree, a lock that cannot
 * be read, records that do not match the heads), so what is applied cannot be known: runs refuse
 * rather than re-apply, and the message names the repair. Exit 4, as the server's state is what is
 * wrong.
 */
public final class InconsistentStateException extends FhirmigException {

    private final transient StateSnapshot state;

    /**
     * @param message what contradicts what, and the repair
     * @param state the state as far as it could be read (for commands that show it with a warning),
     *     or null when the problem was found after reading it
     */
    public InconsistentStateException(String message, StateSnapshot state) {
        super(Kind.SERVER, message);
        this.state = state;
    }

    /** The state as far as it could be read: for display only, never to run or commit against. */
    public StateSnapshot state() {
        return state;
    }
}
