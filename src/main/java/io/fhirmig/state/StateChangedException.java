package io.fhirmig.state;

import io.fhirmig.api.FhirmigException;

/** The state was changed by another run between this run's read and its write (HTTP 409 or 412). */
public final class StateChangedException extends FhirmigException {

    public StateChangedException(String namespace, Throwable cause) {
        super(Kind.CONCURRENT, "the migration state of namespace '" + namespace
                + "' was changed by another run; nothing of this run's last step was written."
                + " Check `fhirmig current` and run again", cause);
    }
}
