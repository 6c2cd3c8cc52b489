package io.fhirmig.state;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import io.fhirmig.api.ServerText;

/** Another run holds the lock on this namespace. */
public final class LockedException extends FhirmigException {

    private final transient LockInfo lock;

    public LockedException(String namespace, LockInfo lock) {
        super(Kind.CONCURRENT, "namespace '" + namespace + "' is locked by " + ServerText.clean(lock.owner())
                + " (running " + ServerText.clean(lock.step()) + ", lock lapses at " + lock.expiresAt() + ")",
                Remedy.WAIT_FOR_LOCK, null);
        this.lock = lock;
    }

    public LockInfo lock() {
        return lock;
    }
}
