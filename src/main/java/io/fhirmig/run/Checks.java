package io.fhirmig.run;

import io.fhirmig.api.CheckResult;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.ServerText;
import io.fhirmig.graph.Revision;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.InconsistentStateException;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import io.fhirmig.script.ScriptCache;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code check} checks, each answer one {@link CheckResult.Check}: the scripts and the graph, then the
 * server, the checksums of applied scripts and the lock.
 */
public final class Checks {

    private Checks() {
    }

    /** Loads the migrations of a folder and adds the answer; returns them, or null when they are invalid. */
    public static MigrationSet migrations(Path versions, ScriptCache cache, List<CheckResult.Check> items) {
        return migrations(() -> MigrationSet.load(versions, cache), items);
    }

    /** Loads the migrations and adds the answer; returns them, or null when they are invalid. */
    public static MigrationSet migrations(Supplier<MigrationSet> loader, List<CheckResult.Check> items) {
        try {
            MigrationSet migrations = loader.get();
            List<Revision> heads = migrations.graph().heads();
            items.add(new CheckResult.Check("migrations", true, migrations.graph().revisions().size() + " migration(s), "
                    + heads.size() + " head(s)" + (heads.size() > 1 ? " (a branch: join with `fhirmig merge`)" : ""), null));
            return migrations;
        } catch (FhirmigException e) {
            items.add(new CheckResult.Check("migrations", false, e.getMessage(), e.kind()));
            return null;
        }
    }

    /**
     * Checks the server (reachable), that the state agrees with itself (one state resource, a readable
     * lock, records matching the heads), the checksums of applied scripts and the lock, and adds the
     * answers.
     */
    public static void server(MigrationSet migrations, StateStore store, String serverName, List<CheckResult.Check> items) {
        Status status;
        String contradiction = null;
        try {
            StateSnapshot state;
            try {
                state = store.read();
            } catch (InconsistentStateException e) {
                state = e.state();
                contradiction = e.getMessage();
            }
            StateSnapshot read = state;
            status = Status.read(() -> migrations, () -> read);
            items.add(new CheckResult.Check("server", true, serverName + " reachable; applied head(s): "
                    + (status.heads().isEmpty() ? "base" : ServerText.list(status.heads(), 5))
                    + "; " + status.pending().size() + " pending", null));
        } catch (FhirmigException e) {
            items.add(failed("server", e));
            return;
        }
        Validation validation = new Validation(migrations);
        List<AppliedRecord> records;
        try {
            records = store.appliedRecords();
            if (contradiction == null) {
                contradiction = validation.contradiction(records, status.heads());
            }
        } catch (FhirmigException e) {
            items.add(failed("state", e));
            return;
        }
        items.add(contradiction == null
                ? new CheckResult.Check("state", true, "one state resource; its head(s) and the " + records.size()
                        + " applied record(s) agree", null)
                : new CheckResult.Check("state", false, contradiction, FhirmigException.Kind.SERVER));
        try {
            validation.checkChecksumsOnly(records, status.heads());
            items.add(new CheckResult.Check("checksums", true, "no applied script was edited", null));
        } catch (FhirmigException e) {
            items.add(failed("checksums", e));
        }
        if (status.lock() == null) {
            items.add(new CheckResult.Check("lock", true, "free", null));
        } else if (!status.lock().readable()) {
            items.add(new CheckResult.Check("lock", false, "cannot be read; see state", FhirmigException.Kind.SERVER));
        } else if (status.lock().expiredAt(Instant.now())) {
            items.add(new CheckResult.Check("lock", true, "free (a lapsed lock of " + ServerText.clean(status.lock().owner()) + " remains)", null));
        } else {
            items.add(new CheckResult.Check("lock", false, "locked by " + ServerText.clean(status.lock().owner()) + " (" + ServerText.clean(status.lock().step())
                    + ", lapses at " + status.lock().expiresAt() + ")", FhirmigException.Kind.CONCURRENT));
        }
    }

    /** The answer of a check that threw. */
    public static CheckResult.Check failed(String name, FhirmigException e) {
        return new CheckResult.Check(name, false, e.getMessage(), e.kind());
    }
}
