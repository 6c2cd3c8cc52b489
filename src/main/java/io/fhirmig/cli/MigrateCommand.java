package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.Direction;
import io.fhirmig.api.DryRunReport;
import io.fhirmig.api.MigrationResult;

/** What {@code upgrade} and {@code downgrade} share; they differ in direction and default target. */
abstract class MigrateCommand extends LockingCommand {

    boolean dryRun;

    /** Adds what upgrade and downgrade share to the model of one of them. */
    CommandModel withRunOptions(CommandModel model) {
        model.flag("--dry-run", "Run the scripts with every write held back and print what each step would write;"
                        + " change nothing.", () -> dryRun, v -> dryRun = v)
                .flag("--json", "Print JSON: the steps run and the heads before and after; with --dry-run, each step's"
                        + " writes.", () -> json, v -> json = v);
        return runOptions.addStepTimeoutTo(runOptions.addParametersTo(runOptions.addTo(model)));
    }

    abstract Direction direction();

    @Override
    boolean writesState() {
        return !dryRun;
    }

    abstract String target();

    @Override
    int run(Fhirmig fhirmig) {
        String target = target() != null ? target() : direction() == Direction.UPGRADE ? "head" : "-1";
        if (dryRun) {
            DryRunReport report = fhirmig.dryRun(direction(), target);
            if (json) {
                printJson(report);
            } else {
                new DryRunText(out()).print(report);
            }
            return 0;
        }
        MigrationResult result = direction() == Direction.UPGRADE ? fhirmig.upgrade(target) : fhirmig.downgrade(target);
        if (json) {
            printJson(result);
            return 0;
        }
        // The whole run, commits and lock included: the steps' own durations (what `history` shows)
        // leave out the server's work, which is most of an upgrade's time.
        if (!result.steps().isEmpty()) {
            out().println(direction().name().toLowerCase() + "d " + result.steps().size() + " migration(s) in "
                    + Formats.elapsed(result.duration().toMillis()) + "; head: " + Formats.heads(result.headsAfter()));
        }
        return 0;
    }
}
