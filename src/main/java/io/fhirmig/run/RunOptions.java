package io.fhirmig.run;

import io.fhirmig.api.ProgressListener;
import java.time.Duration;
import java.util.Map;

/**
 * How a run behaves.
 *
 * @param lockTtl how long a lock stays valid without renewal; a crashed run blocks others this long
 * @param lockWait how long to wait for another run's lock before giving up (zero: fail at once)
 * @param parameters the user's parameters, seen by scripts as {@code migration.parameters}
 * @param stepTimeout how long one step may run before it is stopped and fails; {@code null}: no limit
 * @param progress told of bulk operations' progress
 */
public record RunOptions(Duration lockTtl, Duration lockWait, Map<String, String> parameters, Duration stepTimeout,
        ProgressListener progress) {

    public static final Duration DEFAULT_LOCK_TTL = Duration.ofMinutes(10);

    public RunOptions {
        parameters = Map.copyOf(parameters);
        if (stepTimeout != null && (stepTimeout.isZero() || stepTimeout.isNegative())) {
            stepTimeout = null;
        }
        if (progress == null) {
            progress = ProgressListener.NONE;
        }
    }

    /** Options that show no progress. */
    public RunOptions(Duration lockTtl, Duration lockWait, Map<String, String> parameters, Duration stepTimeout) {
        this(lockTtl, lockWait, parameters, stepTimeout, ProgressListener.NONE);
    }

    /** Options with no step timeout. */
    public RunOptions(Duration lockTtl, Duration lockWait, Map<String, String> parameters) {
        this(lockTtl, lockWait, parameters, null, ProgressListener.NONE);
    }

    public static RunOptions defaults() {
        return new RunOptions(DEFAULT_LOCK_TTL, Duration.ZERO, Map.of());
    }
}
