package io.fhirmig.api;

import java.time.Duration;
import java.util.List;

/**
 * What an upgrade or downgrade would write, found by running its scripts against the server with
 * every write held back: reads reach the server, writes are recorded and answered as the server
 * would have answered them. Nothing is written and no lock is taken. A script that reads what it
 * wrote sees the server as it was.
 *
 * @param direction upgrade or downgrade
 * @param headsBefore the applied heads now
 * @param headsAfter the applied heads the run would leave
 * @param steps the steps, in order, each with what it would write
 * @param duration how long the dry run took
 */
public record DryRunReport(Direction direction, List<String> headsBefore, List<String> headsAfter, List<Step> steps,
        Duration duration) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param direction the direction
     * @param headsBefore the heads now
     * @param headsAfter the heads after
     * @param steps the steps
     * @param duration how long it took
     */
    public DryRunReport {
        headsBefore = List.copyOf(headsBefore);
        headsAfter = List.copyOf(headsAfter);
        steps = List.copyOf(steps);
    }

    /**
     * Whether there is nothing to do.
     *
     * @return true when no step would run
     */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * One step and what it would write.
     *
     * @param direction upgrade or downgrade
     * @param revision the revision id
     * @param file the script's file name
     * @param description the script's description, or null
     * @param transactional whether it would run in one transaction Bundle
     * @param writes the writes it would make, in order (the first {@value #KEPT_WRITES})
     * @param writeCount how many writes it would make, bulk ones included
     * @param bulk what its bulk operations ({@code migration.forEach}, {@code create}, {@code deleteAll})
     *     would do
     * @param duration how long its script ran
     */
    public record Step(Direction direction, String revision, String file, String description, boolean transactional,
            List<Write> writes, long writeCount, List<BulkResult> bulk, Duration duration) {

        /** How many writes of a step are kept, with their changes. */
        public static final int KEPT_WRITES = 100;

        /**
         * Makes the lists unmodifiable.
         *
         * @param direction the direction
         * @param revision the revision id
         * @param file the file name
         * @param description the description
         * @param transactional whether it is transactional
         * @param writes the writes kept
         * @param writeCount the writes in all
         * @param bulk the bulk operations
         * @param duration how long it ran
         */
        public Step {
            writes = List.copyOf(writes);
            bulk = List.copyOf(bulk);
        }
    }

    /**
     * One write that was held back.
     *
     * @param method {@code POST}, {@code PUT}, {@code DELETE} or {@code PATCH}
     * @param url what it was sent to, relative to the server's base: {@code Patient/1},
     *     {@code Patient} (a create), {@code Patient?identifier=...} (a conditional write),
     *     {@code Patient/1/$meta-delete}
     * @param changes for an update, the values it changes (for a create, the values it sets), the
     *     first {@value #KEPT_CHANGES}
     * @param moreChanges how many changes were left out
     */
    public record Write(String method, String url, List<Change> changes, int moreChanges) {

        /** How many changes of a write are kept. */
        public static final int KEPT_CHANGES = 20;

        /**
         * Makes the list unmodifiable.
         *
         * @param method the method
         * @param url the URL
         * @param changes the changes kept
         * @param moreChanges the changes left out
         */
        public Write {
            changes = List.copyOf(changes);
        }
    }

    /**
     * A value a write changes.
     *
     * @param path its path in the resource's JSON ({@code telecom[0].value})
     * @param before its JSON text now ({@code "555-0100"}), or null when absent
     * @param after its JSON text after the write, or null when the write removes it
     */
    public record Change(String path, String before, String after) {
    }
}
