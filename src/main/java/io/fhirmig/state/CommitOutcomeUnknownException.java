package io.fhirmig.state;

import io.fhirmig.api.FhirmigException;

/**
 * The answer to a commit was lost and the state could not be read back to tell whether the commit
 * landed: neither "committed" nor "nothing written" would be true. Exit 4 (the server could not be
 * used); the next run reads the state and so learns the truth, and transactions make the commit
 * all-or-nothing either way.
 */
public final class CommitOutcomeUnknownException extends FhirmigException {

    private final transient StateSnapshot expected;
    private final transient StateChange change;

    public CommitOutcomeUnknownException(String message, StateSnapshot expected, StateChange change, Throwable cause) {
        super(Kind.SERVER, message, cause);
        this.expected = expected;
        this.change = change;
    }

    /** The state the commit was made against. */
    public StateSnapshot expected() {
        return expected;
    }

    /** What the commit would have written. */
    public StateChange change() {
        return change;
    }
}
