package io.fhirmig.cli;

import io.fhirmig.run.RunOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by the commands that take the lock. */
final class RunCommandOptions {

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "Wait up to this long for another run's lock instead of failing at once (exit 5).")
    long lockWaitSeconds;

    @Option(names = "--lock-ttl", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long this run's lock stays valid without renewal (default: ${DEFAULT-VALUE}).")
    long lockTtlSeconds;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "A parameter for the scripts, seen as migration.parameters.KEY (repeatable).")
    Map<String, String> parameters = new LinkedHashMap<>();

    RunOptions toRunOptions() {
        if (lockWaitSeconds < 0 || lockTtlSeconds <= 0) {
            throw new io.fhirmig.FhirmigException(io.fhirmig.FhirmigException.Kind.USAGE,
                    "--lock-wait must be 0 or more and --lock-ttl more than 0 seconds");
        }
        return new RunOptions(Duration.ofSeconds(lockTtlSeconds), Duration.ofSeconds(lockWaitSeconds), parameters);
    }
}
