package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.FhirmigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options shared by the commands that take the lock. */
final class RunCommandOptions {

    long lockWaitSeconds;

    long lockTtlSeconds;

    Map<String, String> parameters = new LinkedHashMap<>();

    String stepTimeout;

    /** {@return the model, with the lock's options added: for every command that takes the lock} */
    CommandModel addTo(CommandModel model) {
        return model
                .option(new String[] {"--lock-wait"}, "SECONDS", long.class, "0",
                        "Wait up to this long for another run's lock instead of failing at once (exit 5).",
                        () -> lockWaitSeconds, v -> lockWaitSeconds = v)
                .option(new String[] {"--lock-ttl"}, "SECONDS", long.class, "600",
                        "How long this run's lock stays valid without renewal (default: ${DEFAULT-VALUE}).",
                        () -> lockTtlSeconds, v -> lockTtlSeconds = v);
    }

    /** {@return the model, with the scripts' parameters added: for the commands that run scripts} */
    CommandModel addParametersTo(CommandModel model) {
        return model
                .repeatable(new String[] {"-p", "--param"}, "KEY=VALUE", Map.class,
                        new Class<?>[] {String.class, String.class}, false,
                        "A parameter for the scripts, seen as migration.parameters.KEY (repeatable).",
                        () -> parameters, v -> parameters = v);
    }

    /** {@return the model, with the step timeout added: for the commands that run scripts} */
    CommandModel addStepTimeoutTo(CommandModel model) {
        return model.option("--step-timeout", "DURATION", String.class,
                "Stop a step that runs longer than this (e.g. 90s, 30m, 2h): it fails (exit 1) and the lock is"
                        + " released. Also FHIRMIG_STEP_TIMEOUT, stepTimeout. Default: no limit.",
                () -> stepTimeout, v -> stepTimeout = v);
    }

    /**
     * Sets these options on the builder, and a progress bar on standard error.
     *
     * @param top the top command, for the settings the step timeout may come from
     */
    Fhirmig.Builder applyTo(Fhirmig.Builder builder, FhirmigCommand top) {
        if (lockWaitSeconds < 0 || lockTtlSeconds <= 0) {
            throw new FhirmigException(FhirmigException.Kind.USAGE,
                    "--lock-wait must be 0 or more and --lock-ttl more than 0 seconds");
        }
        Duration timeout = new SettingsResolver(top.environment, top.workingDir).stepTimeout(top, stepTimeout);
        return builder.lockTtl(Duration.ofSeconds(lockTtlSeconds)).lockWait(Duration.ofSeconds(lockWaitSeconds))
                .parameters(parameters).stepTimeout(timeout).progress(new TerminalProgress(System.err));
    }
}
