package io.fhirmig.cli;

import io.fhirmig.FhirmigException;
import java.time.Duration;

/** Durations as users write them: {@code 90} (seconds), {@code 500ms}, {@code 45s}, {@code 30m}, {@code 2h}. */
final class Durations {

    private Durations() {
    }

    /**
     * @param setting the setting's name, for the error
     * @throws FhirmigException (usage) naming the setting when the value is not a duration
     */
    static Duration parse(String setting, String value) {
        String text = value.trim().toLowerCase();
        int unitStart = 0;
        while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
            unitStart++;
        }
        String unit = text.substring(unitStart).trim();
        if (unitStart == 0 || unitStart > 12) {
            throw invalid(setting, value);
        }
        long amount = Long.parseLong(text.substring(0, unitStart));
        return switch (unit) {
            case "", "s" -> Duration.ofSeconds(amount);
            case "ms" -> Duration.ofMillis(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw invalid(setting, value);
        };
    }

    private static FhirmigException invalid(String setting, String value) {
        return new FhirmigException(FhirmigException.Kind.USAGE, setting + " must be a duration such as 90s, 30m or 2h,"
                + " not '" + value + "'");
    }
}
