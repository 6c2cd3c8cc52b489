package io.fhirmig.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for work started on another thread, whose failure is then the waiting thread's. */
public final class Futures {

    private Futures() {}

    /**
     * Waits for the result, and rethrows the other thread's failure as it was thrown (a {@link
     * io.fhirmig.api.FhirmigException} stays one, with its message and kind), not wrapped.
     *
     * @param future the work
     * @param <T> its result's type
     * @return its result
     */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
