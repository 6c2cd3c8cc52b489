package io.fhirmig.script;

import java.util.Map;
import java.util.Objects;

/**
 * What a running migration knows about its step, seen by the script as {@code migration}: e.g.
 * {@code if (migration.dryRun) return} or {@code migration.parameters.batchSize}.
 *
 * <p>A plain class rather than a record, so that the runner can extend it with helpers for
 * scripts (bulk writes, for example) without changing what scripts already use.
 */
public class MigrationContext {

    /** The direction of a step that applies a migration. */
    public static final String UPGRADE = "upgrade";
    /** The direction of a step that reverts a migration. */
    public static final String DOWNGRADE = "downgrade";

    private final String revision;
    private final String direction;
    private final boolean dryRun;
    private final String namespace;
    private final Map<String, String> parameters;

    /**
     * Creates the context of one step.
     *
     * @param revision the revision of the migration that runs
     * @param direction {@link #UPGRADE} or {@link #DOWNGRADE}
     * @param dryRun whether the run must not change anything
     * @param namespace the namespace whose state the run changes
     * @param parameters the user's parameters for the run
     */
    public MigrationContext(String revision, String direction, boolean dryRun, String namespace,
            Map<String, String> parameters) {
        if (!UPGRADE.equals(direction) && !DOWNGRADE.equals(direction)) {
            throw new IllegalArgumentException("direction must be upgrade or downgrade, not " + direction);
        }
        this.revision = Objects.requireNonNull(revision, "revision");
        this.direction = direction;
        this.dryRun = dryRun;
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.parameters = Map.copyOf(parameters);
    }

    /** {@return the revision of the migration that runs} */
    public String getRevision() {
        return revision;
    }

    /** {@return {@code "upgrade"} or {@code "downgrade"}} */
    public String getDirection() {
        return direction;
    }

    /** {@return whether the run must not change anything} */
    public boolean isDryRun() {
        return dryRun;
    }

    /** {@return the namespace whose state the run changes} */
    public String getNamespace() {
        return namespace;
    }

    /** {@return the user's parameters for the run, unmodifiable} */
    public Map<String, String> getParameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return direction + " " + revision + (dryRun ? " (dry run)" : "") + " in namespace " + namespace;
    }
}
