package io.fhirmig.cli;

import io.fhirmig.api.CurrentState;
import io.fhirmig.api.ServerText;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Shapes of text output shared by several commands. */
final class Formats {

    private Formats() {
    }

    /** A run's duration as people read it, to the millisecond: "840 ms", "12.345 s", "4 min 05 s". */
    static String elapsed(long millis) {
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%d.%03d s", millis / 1000, millis % 1000);
        }
        long seconds = Math.round(millis / 1000.0);
        return String.format(java.util.Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    static String shortId(String revision) {
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }

    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** An instant in one shape for every row of a table: UTC, to the whole second, "2026-12-02 16:20:11Z". */
    static String utcSeconds(Instant instant) {
        return UTC_SECONDS.format(instant);
    }

    /** The first 12 hex digits of a checksum ("sha256:3f2a..."), enough to tell two apart by eye. */
    static String shortChecksum(String checksum) {
        String hex = checksum.startsWith("sha256:") ? checksum.substring("sha256:".length()) : checksum;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** Heads as a line: "base" for none. */
    static String heads(List<String> heads) {
        return heads.isEmpty() ? "base" : String.join(", ", heads);
    }

    static String lockLine(CurrentState.Lock lock) {
        if (!lock.readable()) {
            return "locked, but the lock cannot be read (owner " + (lock.owner() == null ? "missing" : ServerText.clean(lock.owner()))
                    + ", lapse time " + (Instant.MAX.equals(lock.expiresAt()) ? "not a date" : lock.expiresAt()) + ")";
        }
        return "locked by " + ServerText.clean(lock.owner()) + " (" + ServerText.clean(lock.step()) + ", lapses at "
                + lock.expiresAt() + ")";
    }

    /** The mark of a head that only the Python tool recorded. */
    static final String RECORDED_BY_TOOL = "(recorded by the Python tool; run `fhirmig adopt`)";
}
