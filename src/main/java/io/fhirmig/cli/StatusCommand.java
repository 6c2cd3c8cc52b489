package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.MigrationStatus;
import io.fhirmig.api.MigrationStatus.State;
import io.fhirmig.api.PythonToolState;
import io.fhirmig.api.ServerText;
import io.fhirmig.api.StatusView;
import java.util.Locale;

/**
 * Every migration in one table with its state, as Flyway's {@code info}: a view, so it exits 0 whatever
 * it shows, and ends with what to do about edited and missing migrations.
 */
final class StatusCommand extends SessionCommand {

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "status",
                        "List every migration with its state: applied, pending, edited since applied, or missing"
                                + " its file.")
                .flag("--json", JSON, () -> json, v -> json = v);
    }

    @Override
    boolean readsStateFirst() {
        return true;
    }

    @Override
    int run(Fhirmig fhirmig) {
        StatusView view = fhirmig.status();
        warn(view.warnings());
        if (json) {
            printJson(view);
            return 0;
        }
        if (view.migrations().isEmpty()) {
            out().println("no migrations");
            return 0;
        }
        PythonToolState tool = view.pythonTool();
        Table table = new Table("STATE", "REVISION", "FILE", "APPLIED AT", "BY", "DURATION", "CHECKSUM", "DESCRIPTION");
        for (MigrationStatus migration : view.migrations()) {
            // Revisions, files, names and checksums of applied rows come from the server: control
            // characters escaped, cut.
            table.row(migration.state().name().toLowerCase(Locale.ROOT),
                    ServerText.clean(Formats.shortId(migration.revision())),
                    ServerText.clean(migration.file()),
                    appliedAt(migration, tool),
                    ServerText.clean(migration.appliedBy()),
                    migration.duration() == null ? null : Formats.elapsed(migration.duration().toMillis()),
                    migration.checksum() == null ? null : ServerText.clean(Formats.shortChecksum(migration.checksum())),
                    description(migration));
        }
        table.lines().forEach(out()::println);
        summary(view);
        return 0;
    }

    private static String appliedAt(MigrationStatus migration, PythonToolState tool) {
        if (migration.appliedAt() != null) {
            return Formats.utcSeconds(migration.appliedAt());
        }
        if (!migration.applied()) {
            return null;
        }
        return tool != null ? "(Python tool)" : "(no record)";
    }

    private static String description(MigrationStatus migration) {
        String text = migration.description() == null ? "" : ServerText.clean(migration.description());
        if (migration.state() == State.EDITED) {
            text = ("(file now " + Formats.shortChecksum(migration.fileChecksum()) + ") " + text).strip();
        }
        if (migration.adoptedFrom() != null) {
            text = (text + " (adopted from the Python tool, " + ServerText.clean(migration.adoptedFrom()) + ")").strip();
        }
        return text;
    }

    /** The last line: how many are in each state, and what to do about edited or missing ones. */
    private void summary(StatusView view) {
        long edited = view.count(State.EDITED);
        long missing = view.count(State.MISSING);
        boolean byTool = view.pythonTool() != null;
        StringBuilder line = new StringBuilder(view.count(State.APPLIED) + " applied, " + view.count(State.PENDING)
                + " pending");
        if (edited > 0) {
            line.append("; ").append(edited).append(" edited since applied (restore the applied text, or run"
                    + " `fhirmig repair` to accept the edit)");
        }
        if (missing > 0) {
            line.append("; ").append(missing).append(" missing").append(byTool
                    ? " (restore the script that declares it, then run `fhirmig adopt`)"
                    : " (restore the file, or run `fhirmig stamp REVISION` to record where the data is)");
        } else if (byTool) {
            line.append("; recorded by the Python tool: run `fhirmig adopt`");
        }
        out().println(line);
    }
}
