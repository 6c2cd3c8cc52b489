package io.fhirmig.state;

import io.fhirmig.FhirmigException;
import io.fhirmig.fhir.ServerText;

/** Another run holds the lock on this namespace. */
public final class LockedException extends FhirmigException {

    private final transient LockInfo lock;

    public LockedException(String namespace, LockInfo lock) {
        super(Kind.CONCURRENT, "namespace '" + namespace + "' is locked by " + ServerText.clean(lock.owner()) + " (running "
                + ServerText.clean(lock.step()) + ", lock lapses at " + lock.expiresAt() + "); wait for it, pass --lock-wait SECONDS,"
                + " or if that run is dead clear it with `fhirmig unlock`");
        this.lock = lock;
    }

    public LockInfo lock() {
        return lock;
    }
}
