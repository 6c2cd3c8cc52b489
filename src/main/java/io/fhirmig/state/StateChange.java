package io.fhirmig.state;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Everything one commit changes, written as one transaction so that it happens entirely or not at
 * all: the new heads and lock, applied records to add, update or remove, and (for a transactional
 * migration) the migration's own writes.
 */
public record StateChange(
        List<String> heads,
        LockInfo lock,
        List<AppliedRecord> recordsToCreate,
        List<AppliedRecord> recordsToUpdate,
        List<String> revisionsToForget,
        List<Bundle.BundleEntryComponent> dataEntries) {

    public StateChange {
        heads = List.copyOf(heads);
        recordsToCreate = List.copyOf(recordsToCreate);
        recordsToUpdate = List.copyOf(recordsToUpdate);
        revisionsToForget = List.copyOf(revisionsToForget);
        dataEntries = List.copyOf(dataEntries);
    }

    /** Only the heads and the lock change. */
    public static StateChange of(List<String> heads, LockInfo lock) {
        return new StateChange(heads, lock, List.of(), List.of(), List.of(), List.of());
    }
}
