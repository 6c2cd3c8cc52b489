package io.fhirmig.api;

import java.time.Duration;
import java.util.List;

/**
 * The answer of {@code Fhirmig.verify()}: for each migration verified on the scratch server, whether
 * it is idempotent (a second {@code upgrade()} changes nothing), reversible ({@code downgrade()}
 * restores the data as it was before {@code upgrade()}) and repeatable (a new {@code upgrade()} gives
 * the same data as the first).
 *
 * @param server the scratch server the migrations ran on ({@code embedded (in memory)} or its URL)
 * @param fixtures how many fixture resources were loaded before the first migration
 * @param revisions each verified migration, in the order they ran
 * @param notVerified the files of the migrations not reached because a step failed with an error
 * @param duration how long the verification took, with the scratch server's start when the
 *     verification started it (not when it runs on the configured server)
 */
public record VerifyReport(String server, int fixtures, List<RevisionResult> revisions, List<String> notVerified,
        Duration duration) {

    /** The check of the first {@code upgrade()}: it fails only when the function throws. */
    public static final String UPGRADE = "upgrade";
    /** A second {@code upgrade()} leaves the data as the first left it. */
    public static final String IDEMPOTENT = "idempotent";
    /** {@code downgrade()} leaves the data as it was before {@code upgrade()}. */
    public static final String REVERSIBLE = "reversible";
    /** {@code upgrade()} after {@code downgrade()} gives the data of the first {@code upgrade()}. */
    public static final String REPEATABLE = "repeatable";
    /**
     * {@code upgrade()} as a dry run, from the same data, writes nothing and would change as many
     * resources as {@code upgrade()} does.
     */
    public static final String DRY_RUN = "dry-run";

    /**
     * Makes the lists unmodifiable.
     *
     * @param server the scratch server
     * @param fixtures how many fixture resources were loaded
     * @param revisions each verified migration
     * @param notVerified the migrations not reached
     * @param duration how long it took
     */
    public VerifyReport {
        revisions = List.copyOf(revisions);
        notVerified = List.copyOf(notVerified);
    }

    /**
     * Whether every check of every migration passed and every migration was reached.
     *
     * @return true when all passed
     */
    public boolean ok() {
        return notVerified.isEmpty() && revisions.stream().allMatch(RevisionResult::ok);
    }

    /**
     * One migration's checks.
     *
     * @param revision its revision
     * @param file its file name
     * @param changed how many resources its first {@code upgrade()} changed (created, updated or
     *     deleted): a migration that changes nothing passes every check without proving anything
     * @param checks the checks that ran, in order: {@link #IDEMPOTENT}, {@link #REVERSIBLE},
     *     {@link #REPEATABLE}, {@link #DRY_RUN}; or fewer, the last failed, when a function threw
     * @param duration how long its steps and snapshots took
     */
    public record RevisionResult(String revision, String file, int changed, List<Check> checks, Duration duration) {

        /**
         * Makes the list unmodifiable.
         *
         * @param revision its revision
         * @param file its file name
         * @param changed how many resources its first upgrade changed
         * @param checks the checks that ran
         * @param duration how long it took
         */
        public RevisionResult {
            checks = List.copyOf(checks);
        }

        /**
         * Whether every check passed.
         *
         * @return true when all passed
         */
        public boolean ok() {
            return checks.stream().allMatch(Check::ok);
        }
    }

    /**
     * One check of one migration.
     *
     * @param name {@link #UPGRADE}, {@link #IDEMPOTENT}, {@link #REVERSIBLE}, {@link #REPEATABLE} or
     *     {@link #DRY_RUN}
     * @param ok whether it passed
     * @param error the error a function threw during the check, or null
     * @param differences the first differences found between the two snapshots compared
     * @param moreDifferences how many more differences there are than those listed
     */
    public record Check(String name, boolean ok, String error, List<Difference> differences, int moreDifferences) {

        /**
         * Makes the list unmodifiable.
         *
         * @param name the check's name
         * @param ok whether it passed
         * @param error the error, or null
         * @param differences the first differences
         * @param moreDifferences how many more there are
         */
        public Check {
            differences = List.copyOf(differences);
        }
    }

    /**
     * One value that differs between two snapshots of the server's resources.
     *
     * @param resource the resource, e.g. {@code Patient/legacy-1}
     * @param path where in it, e.g. {@code extension[0].url}; empty for the whole resource
     * @param before the value (JSON) in the snapshot expected, or null when it had none
     * @param after the value (JSON) found, or null when it has none
     */
    public record Difference(String resource, String path, String before, String after) {
    }
}
