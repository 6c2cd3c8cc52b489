package io.fhirmig.cli;

import io.fhirmig.api.Direction;
import io.fhirmig.graph.Step;
import io.fhirmig.graph.Target;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.Migrator;
import io.fhirmig.run.RunResult;

/** What {@code upgrade} and {@code downgrade} share; they differ in direction and default target. */
abstract class MigrateCommand extends SessionCommand {

    boolean dryRun;

    boolean json;

    final RunCommandOptions runOptions = new RunCommandOptions();

    /** Adds what upgrade and downgrade share to the model of one of them. */
    CommandModel withRunOptions(CommandModel model) {
        model.flag("--dry-run", "Print the plan and change nothing.", () -> dryRun, v -> dryRun = v)
                .flag("--json", "With --dry-run: print the plan as JSON.", () -> json, v -> json = v);
        return runOptions.addStepTimeoutTo(runOptions.addParametersTo(runOptions.addTo(model)));
    }

    abstract Direction direction();

    @Override
    boolean writesState() {
        return !dryRun;
    }

    abstract String target();

    @Override
    int run(Session session) {
        Target target = Target.parse(target());
        MigrationSet migrations = session.migrations();
        Migrator migrator = session.workspace().migrator(runOptions.toRunOptions(top));
        long started = System.nanoTime();
        RunResult result = direction() == Direction.UPGRADE
                ? migrator.upgrade(target, dryRun)
                : migrator.downgrade(target, dryRun);
        if (dryRun) {
            if (json) {
                printJson(Formats.planJson(result.plan(), migrations, result.headsBefore()));
            } else if (result.plan().isEmpty()) {
                out().println("nothing to do");
            } else {
                out().println("would run " + result.plan().steps().size() + " step(s):");
                for (Step step : result.plan().steps()) {
                    out().println("  " + Formats.planLine(step, migrations));
                }
            }
            return 0;
        }
        // The whole run, commits and lock included: the steps' own durations (what `history` shows)
        // leave out the server's work, which is most of an upgrade's time.
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        if (!result.steps().isEmpty()) {
            out().println(direction().name().toLowerCase() + "d " + result.steps().size() + " migration(s) in "
                    + Formats.elapsed(elapsedMs) + "; head: " + heads(result));
        }
        return 0;
    }

    private static String heads(RunResult result) {
        return result.headsAfter().isEmpty() ? "base" : String.join(", ", result.headsAfter());
    }
}
