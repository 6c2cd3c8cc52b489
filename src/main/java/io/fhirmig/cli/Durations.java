package io.fhirmig.cli;

import io.fhirmig.api.FhirmigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as a person writes them in a setting: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, or ISO {@code PT5M}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    private Durations() {
    }

    /**
     * @param text the value; a bare number is seconds
     * @param setting how the user names the setting, e.g. "readTimeout (--read-timeout, FHIRMIG_READ_TIMEOUT)"
     * @return the duration, more than zero
     * @throws FhirmigException {@code USAGE} naming the setting, for anything else
     */
    static Duration parse(String text, String setting) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Duration duration = null;
        Matcher m = SHORT.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            duration = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } else if (value.startsWith("pt")) {
            try {
                duration = Duration.parse(value);
            } catch (DateTimeParseException e) {
                duration = null;
            }
        }
        // HttpClient takes its timeouts as an int of milliseconds.
        if (duration == null || duration.isZero() || duration.isNegative()
                || duration.toMillis() > Integer.MAX_VALUE) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, setting + " is '" + text.trim()
                    + "', which is not a duration: give e.g. 500ms, 30s, 5m or 1h (more than zero, at most 24 days)");
        }
        return duration;
    }

    /** A duration as {@link #parse} reads it, in its largest whole unit: {@code 30m}, {@code 45s}, {@code 1500ms}. */
    static String format(Duration duration) {
        if (duration == null) {
            return "never";
        }
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
