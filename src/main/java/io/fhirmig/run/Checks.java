package io.fhirmig.run;

import io.fhirmig.FhirmigException;
import io.fhirmig.graph.Revision;
import io.fhirmig.state.StateStore;
import io.fhirmig.script.ScriptCache;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code check} checks, each answer one {@link Item}: the scripts and the graph, then the
 * server, the checksums of applied scripts and the lock.
 */
public final class Checks {

    /**
     * One check's answer.
     *
     * @param name what was checked: migrations, server, checksums or lock
     * @param ok whether it passed
     * @param detail what was found, or what is wrong and what to do
     * @param problem the kind of the problem, or null when it passed
     */
    public record Item(String name, boolean ok, String detail, FhirmigException.Kind problem) {
    }

    private Checks() {
    }

    /** Loads the migrations of a folder and adds the answer; returns them, or null when they are invalid. */
    public static MigrationSet migrations(Path versions, ScriptCache cache, List<Item> items) {
        return migrations(() -> MigrationSet.load(versions, cache), items);
    }

    /** Loads the migrations and adds the answer; returns them, or null when they are invalid. */
    public static MigrationSet migrations(Supplier<MigrationSet> loader, List<Item> items) {
        try {
            MigrationSet migrations = loader.get();
            List<Revision> heads = migrations.graph().heads();
            items.add(new Item("migrations", true, migrations.graph().revisions().size() + " migration(s), "
                    + heads.size() + " head(s)" + (heads.size() > 1 ? " (a branch: join with `fhirmig merge`)" : ""), null));
            return migrations;
        } catch (FhirmigException e) {
            items.add(new Item("migrations", false, e.getMessage(), e.kind()));
            return null;
        }
    }

    /** Checks the server (reachable), the checksums of applied scripts and the lock, and adds the answers. */
    public static void server(MigrationSet migrations, StateStore store, String serverName, List<Item> items) {
        Status status;
        try {
            status = Status.read(migrations, store);
            items.add(new Item("server", true, serverName + " reachable; applied head(s): "
                    + (status.heads().isEmpty() ? "base" : String.join(", ", status.heads()))
                    + "; " + status.pending().size() + " pending", null));
        } catch (FhirmigException e) {
            items.add(failed("server", e));
            return;
        }
        try {
            new Validation(migrations).checkChecksums(store.appliedRecords(), status.heads());
            items.add(new Item("checksums", true, "no applied script was edited", null));
        } catch (FhirmigException e) {
            items.add(failed("checksums", e));
        }
        if (status.lock() == null) {
            items.add(new Item("lock", true, "free", null));
        } else if (status.lock().expiredAt(Instant.now())) {
            items.add(new Item("lock", true, "free (a lapsed lock of " + status.lock().owner() + " remains)", null));
        } else {
            items.add(new Item("lock", false, "locked by " + status.lock().owner() + " (" + status.lock().step()
                    + ", lapses at " + status.lock().expiresAt() + ")", FhirmigException.Kind.CONCURRENT));
        }
    }

    /** The answer of a check that threw. */
    public static Item failed(String name, FhirmigException e) {
        return new Item(name, false, e.getMessage(), e.kind());
    }
}
