package io.fhirmig.fhir;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.apache.http.client.utils.DateUtils;

/**
 * How long to wait before a retry: exponential back-off (200 ms, 400 ms, 800 ms... capped at 5 s), or
 * what the server asked for in {@code Retry-After}, capped at 30 s so that a server that asks for an
 * hour does not hold a run that long without a word.
 */
final class Backoff {

    static final long BASE_MILLIS = 200;
    private static final long MAX_MILLIS = 5_000;
    static final long MAX_RETRY_AFTER_MILLIS = 30_000;

    private Backoff() {
    }

    /** The wait before retry number {@code attempt} (1 for the first). */
    static long millis(int attempt) {
        return Math.min(MAX_MILLIS, BASE_MILLIS << Math.min(attempt - 1, 10));
    }

    /**
     * The wait asked for by a {@code Retry-After} header: seconds, or an HTTP date.
     *
     * @return the wait in milliseconds, capped; -1 when there is no header or it cannot be read
     */
    static long retryAfterMillis(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String value = header.trim();
        long millis;
        try {
            millis = Math.multiplyExact(Long.parseLong(value), 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            Date date = DateUtils.parseDate(value);
            if (date == null) {
                return -1;
            }
            millis = Duration.between(now, date.toInstant()).toMillis();
        }
        return Math.max(0, Math.min(MAX_RETRY_AFTER_MILLIS, millis));
    }

    /** @return false when the thread was interrupted while waiting (its flag set again) */
    static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
