package io.fhirmig.cli;

import io.fhirmig.util.ServerText;
import io.fhirmig.graph.Plan;
import io.fhirmig.graph.Step;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LockInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shapes of output shared by several commands, as text and as JSON-ready maps. */
final class Formats {

    private Formats() {
    }

    /** "id (file)", the way messages name a revision. */
    static String label(io.fhirmig.graph.Revision revision) {
        return revision.id() + " (" + revision.file() + ")";
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

    static String planLine(Step step, MigrationSet migrations) {
        MigrationScript script = migrations.script(step.revision().id());
        return step.direction().name().toLowerCase() + "  " + shortId(script.revision()) + "  " + script.fileName()
                + (script.description() == null ? "" : "  " + script.description());
    }

    static Map<String, Object> planJson(Plan plan, MigrationSet migrations, List<String> headsBefore) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step step : plan.steps()) {
            MigrationScript script = migrations.script(step.revision().id());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("direction", step.direction().name().toLowerCase());
            json.put("revision", script.revision());
            json.put("file", script.fileName());
            json.put("description", script.description());
            json.put("transactional", script.transactional());
            json.put("headsAfter", step.headsAfter());
            steps.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("direction", plan.direction().name().toLowerCase());
        json.put("headsBefore", headsBefore);
        json.put("headsAfter", plan.isEmpty() ? headsBefore : plan.steps().get(plan.steps().size() - 1).headsAfter());
        json.put("steps", steps);
        return json;
    }

    static Map<String, Object> recordJson(AppliedRecord record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("revision", record.revision());
        json.put("file", record.file());
        json.put("checksum", record.checksum());
        json.put("appliedAt", record.appliedAt() == null ? null : record.appliedAt().toString());
        json.put("appliedBy", record.appliedBy());
        json.put("durationMs", record.durationMs());
        if (record.adopted()) {
            json.put("adoptedFrom", record.adoptedFrom());
            json.put("adoptedLastUpdated", record.adoptedLastUpdated() == null ? null : record.adoptedLastUpdated().toString());
        }
        return json;
    }

    static Map<String, Object> lockJson(LockInfo lock) {
        if (lock == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("owner", lock.owner());
        json.put("step", lock.step());
        json.put("expiresAt", Instant.MAX.equals(lock.expiresAt()) ? null : lock.expiresAt().toString());
        json.put("readable", lock.readable());
        return json;
    }

    static String lockLine(LockInfo lock) {
        if (!lock.readable()) {
            return "locked, but the lock cannot be read (owner " + (lock.owner() == null ? "missing" : ServerText.clean(lock.owner()))
                    + ", lapse time " + (Instant.MAX.equals(lock.expiresAt()) ? "not a date" : lock.expiresAt()) + ")";
        }
        return "locked by " + ServerText.clean(lock.owner()) + " (" + ServerText.clean(lock.step()) + ", lapses at "
                + lock.expiresAt() + ")";
    }

    /** The mark of a head that only the Python tool recorded. */
    static final String RECORDED_BY_TOOL = "(recorded by the Python tool; run `fhirmig adopt`)";

    /** What the Python tool recorded, as JSON; null when it is not the namespace's state. */
    static Map<String, Object> toolJson(io.fhirmig.state.LegacyToolState.Recorded tool) {
        if (tool == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("resource", "Basic/" + tool.resourceId());
        json.put("identifier", tool.identifier());
        json.put("revision", tool.revision());
        json.put("lastUpdated", tool.lastUpdated() == null ? null : tool.lastUpdated().toString());
        return json;
    }
}
