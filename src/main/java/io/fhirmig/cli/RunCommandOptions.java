package io.fhirmig.cli;

import io.fhirmig.run.RunOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options shared by the commands that take the lock. */
final class RunCommandOptions {

    long lockWaitSeconds;

    long lockTtlSeconds;

    Map<String, String> parameters = new LinkedHashMap<>();

    /** {@return the model, with these options added} */
    CommandModel addTo(CommandModel model) {
        return model
                .option(new String[] {"--lock-wait"}, "SECONDS", long.class, "0",
                        "Wait up to this long for another run's lock instead of failing at once (exit 5).",
                        () -> lockWaitSeconds, v -> lockWaitSeconds = v)
                .option(new String[] {"--lock-ttl"}, "SECONDS", long.class, "600",
                        "How long this run's lock stays valid without renewal (default: ${DEFAULT-VALUE}).",
                        () -> lockTtlSeconds, v -> lockTtlSeconds = v)
                .repeatable(new String[] {"-p", "--param"}, "KEY=VALUE", Map.class,
                        new Class<?>[] {String.class, String.class}, false,
                        "A parameter for the scripts, seen as migration.parameters.KEY (repeatable).",
                        () -> parameters, v -> parameters = v);
    }

    RunOptions toRunOptions() {
        if (lockWaitSeconds < 0 || lockTtlSeconds <= 0) {
            throw new io.fhirmig.FhirmigException(io.fhirmig.FhirmigException.Kind.USAGE,
                    "--lock-wait must be 0 or more and --lock-ttl more than 0 seconds");
        }
        return new RunOptions(Duration.ofSeconds(lockTtlSeconds), Duration.ofSeconds(lockWaitSeconds), parameters);
    }
}
