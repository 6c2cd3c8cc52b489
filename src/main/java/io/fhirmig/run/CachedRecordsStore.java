package io.fhirmig.run;

import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.script.CacheFile;
import io.fhirmig.script.CacheKey;
import io.fhirmig.script.ScriptCache;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.FhirStateStore;
import io.fhirmig.state.InconsistentStateException;
import io.fhirmig.state.LockInfo;
import io.fhirmig.state.StateChange;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state store of one namespace, with a copy of its applied records kept in the script cache,
 * so that {@code history}, the checksum check of every run and {@code check} do not read thousands
 * of records from the server each time.
 *
 * <p>The copy is tied to the state resource's id and version. Every change to the records commits
 * in the same transaction as a new version of the state (DESIGN: "the data, the record and the head
 * move together"), so records read at version V are the records for as long as the state stays at
 * V. The commits of this process update the copy as they go (the lock's too, which change no
 * record); a commit by any other process moves the version and the copy is read again from the
 * server. Records edited on the server outside fhirmig are not seen until the state changes, but
 * records removed or added are: the server's count of them is compared with the copy's each time.
 */
final class CachedRecordsStore implements StateStore {

    /** 2: with the marks of a record adopted from the Python tool; a copy of the first form is read again. */
    private static final String KIND = "applied-records-2";

    private final FhirStateStore delegate;
    private final Path file;
    private final String key;
    private final String fingerprint;
    private Copy copy;
    private boolean loaded;
    private boolean dirty;

    /** The records as of one version of the state. */
    private record Copy(String stateId, String version, Map<String, AppliedRecord> records) {

        boolean of(StateSnapshot state) {
            return state.exists() && stateId.equals(state.resourceId()) && Objects.equals(version, state.versionId());
        }
    }

    CachedRecordsStore(FhirConnection connection, String namespace, String serverName, ScriptCache cache) {
        this.delegate = new FhirStateStore(connection, namespace, this::committed);
        // The file is named by a hash of the server and namespace; inside, the key is both in full, so
        // two that hashed alike would each find the other's file foreign, never read it.
        this.key = serverName + "\n" + namespace;
        this.file = cache.directory().resolve("state")
                .resolve(new CacheKey().add(serverName).add(namespace).hex() + ".records");
        this.fingerprint = cache.fingerprint();
    }

    @Override
    public String namespace() {
        return delegate.namespace();
    }

    @Override
    public StateSnapshot read() {
        return delegate.read();
    }

    @Override
    public StateSnapshot acquireLock(LockInfo lock, String abandonedOwner) {
        return delegate.acquireLock(lock, abandonedOwner);
    }

    @Override
    public StateSnapshot commit(StateSnapshot expected, StateChange change) {
        return delegate.commit(expected, change);
    }

    @Override
    public LockInfo forceUnlock() {
        return delegate.forceUnlock();
    }

    @Override
    public synchronized List<AppliedRecord> appliedRecords() {
        StateSnapshot now = readAsFarAsPossible();
        Copy kept = kept();
        // A record deleted or added by hand moves no version, yet it is exactly what the check of the
        // records against the heads must see: the server's count of them tells, in one small request.
        if (kept != null && kept.of(now) && kept.records().size() == delegate.appliedRecordCount()) {
            return List.copyOf(kept.records().values());
        }
        List<AppliedRecord> records = delegate.appliedRecords();
        // Kept only if no commit landed while the pages were read: then they are the version's records.
        if (now.exists() && Objects.equals(now.versionId(), readAsFarAsPossible().versionId())) {
            Map<String, AppliedRecord> byRevision = new LinkedHashMap<>();
            records.forEach(record -> byRevision.putIfAbsent(record.revision(), record));
            copy = new Copy(now.resourceId(), now.versionId(), byRevision);
            dirty = true;
        }
        return records;
    }

    /** The state even when it contradicts itself: the records are what shows how (history, check). */
    private StateSnapshot readAsFarAsPossible() {
        try {
            return delegate.read();
        } catch (InconsistentStateException e) {
            return e.state();
        }
    }

    private synchronized void committed(StateSnapshot expected, StateChange change, StateSnapshot result) {
        Copy kept = kept();
        if (kept == null || !kept.of(expected) || result.versionId() == null) {
            copy = null;
            return;
        }
        // Changed in place: a run of thousands of steps must not copy thousands of records per step.
        Map<String, AppliedRecord> records = kept.records();
        change.revisionsToForget().forEach(records::remove);
        change.recordsToUpdate().forEach(record -> records.put(record.revision(), record));
        change.recordsToCreate().forEach(record -> records.putIfAbsent(record.revision(), record));
        copy = new Copy(kept.stateId(), result.versionId(), records);
        dirty = true;
    }

    /** Writes the copy for the next run, if it changed. */
    synchronized void flush() {
        if (!dirty || copy == null) {
            return;
        }
        Copy written = copy;
        CacheFile.write(file, KIND, key, fingerprint, out -> {
            out.writeUTF(written.stateId());
            out.writeUTF(written.version());
            out.writeInt(written.records().size());
            for (AppliedRecord record : written.records().values()) {
                out.writeUTF(record.revision());
                writeNullable(out, record.checksum());
                writeNullable(out, record.file());
                // Seconds and nanoseconds: parsing 5,000 timestamps as text would cost more than the read.
                out.writeBoolean(record.appliedAt() != null);
                if (record.appliedAt() != null) {
                    out.writeLong(record.appliedAt().getEpochSecond());
                    out.writeInt(record.appliedAt().getNano());
                }
                writeNullable(out, record.appliedBy());
                out.writeLong(record.durationMs());
                writeNullable(out, record.adoptedFrom());
                writeNullable(out, record.adoptedLastUpdated() == null ? null : record.adoptedLastUpdated().toString());
            }
        });
        dirty = false;
    }

    private Copy kept() {
        if (!loaded) {
            loaded = true;
            copy = load();
        }
        return copy;
    }

    private Copy load() {
        DataInputStream in = CacheFile.read(file, KIND, key, fingerprint);
        if (in == null) {
            return null;
        }
        try {
            String stateId = in.readUTF();
            String version = in.readUTF();
            int count = in.readInt();
            Map<String, AppliedRecord> records = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String revision = in.readUTF();
                String checksum = readNullable(in);
                String fileName = readNullable(in);
                Instant appliedAt = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
                String appliedBy = readNullable(in);
                long durationMs = in.readLong();
                String adoptedFrom = readNullable(in);
                String adoptedLastUpdated = readNullable(in);
                records.put(revision, new AppliedRecord(revision, checksum, fileName, appliedAt, appliedBy, durationMs,
                        adoptedFrom, adoptedLastUpdated == null ? null : Instant.parse(adoptedLastUpdated)));
            }
            return new Copy(stateId, version, records);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
