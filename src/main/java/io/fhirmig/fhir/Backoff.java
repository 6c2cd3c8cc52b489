package io.fhirmig.fhir;

/** Exponential back-off between retries: 200 ms, 400 ms, 800 ms... capped at 5 s. */
final class Backoff {

    static final long BASE_MILLIS = 200;
    private static final long MAX_MILLIS = 5_000;

    private Backoff() {
    }

    static void sleep(int attempt) {
        long millis = Math.min(MAX_MILLIS, BASE_MILLIS << Math.min(attempt - 1, 10));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
