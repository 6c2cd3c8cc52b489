package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;

/**
 * Thrown at every request a run tries to send once it has been stopped: its lock lapsed or was
 * taken, its step ran past the step timeout, or the process was told to stop. Nothing of the run
 * reaches the server after that, so another run that takes the lock over cannot be raced.
 */
public final class RunStoppedException extends FhirmigException {

    private final String why;

    RunStoppedException(Kind kind, String why, String step) {
        super(kind, "this run stopped sending requests during " + step + ": " + why);
        this.why = why;
    }

    /** Why the run was stopped, e.g. "its lock lapsed ...". */
    public String why() {
        return why;
    }
}
