package io.fhirmig.api;

import java.util.List;

/**
 * What {@code Fhirmig.repair()} changed so that the applied records match the heads.
 *
 * @param accepted records whose script was edited since it was applied: the new checksum accepted
 * @param forgotten revisions whose record was deleted, since the heads do not include them
 * @param written records written for applied revisions that had none
 */
public record RepairResult(List<MigrationInfo> accepted, List<String> forgotten, List<MigrationInfo> written) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param accepted the records with a new checksum
     * @param forgotten the revisions whose record was deleted
     * @param written the records written
     */
    public RepairResult {
        accepted = List.copyOf(accepted);
        forgotten = List.copyOf(forgotten);
        written = List.copyOf(written);
    }

    /**
     * Whether nothing needed repair.
     *
     * @return true when nothing changed
     */
    public boolean nothingToRepair() {
        return accepted.isEmpty() && forgotten.isEmpty() && written.isEmpty();
    }
}
