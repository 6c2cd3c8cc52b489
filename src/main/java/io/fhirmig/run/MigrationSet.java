package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import io.fhirmig.graph.GraphProblem;
import io.fhirmig.graph.Revision;
import io.fhirmig.graph.RevisionGraph;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.script.ScanResult;
import io.fhirmig.script.ScriptCache;
import io.fhirmig.script.ScriptLoader;
import io.fhirmig.script.ScriptProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The migrations of one versions folder, loaded and linked: every script by revision, and the
 * revision graph they form. Loading reports every script and graph problem at once.
 */
public final class MigrationSet {

    private final Path versionsDir;
    private final Map<String, MigrationScript> byRevision;
    private final RevisionGraph graph;

    private MigrationSet(Path versionsDir, Map<String, MigrationScript> byRevision, RevisionGraph graph) {
        this.versionsDir = versionsDir;
        this.byRevision = byRevision;
        this.graph = graph;
    }

    /**
     * Loads and validates the folder.
     *
     * @throws FhirmigException INVALID_MIGRATIONS listing every problem, or USAGE when the folder is missing
     */
    public static MigrationSet load(Path versionsDir) {
        return load(versionsDir, ScriptCache.none());
    }

    /**
     * Loads and validates the folder, with the headers of scripts read before taken from the cache.
     *
     * @throws FhirmigException INVALID_MIGRATIONS listing every problem, or USAGE when the folder is missing
     */
    public static MigrationSet load(Path versionsDir, ScriptCache cache) {
        if (!Files.isDirectory(versionsDir)) {
            throw new FhirmigException(FhirmigException.Kind.USAGE,
                    "the versions folder " + versionsDir + " does not exist", Remedy.VERSIONS_FOLDER, null);
        }
        ScanResult scan = ScriptLoader.scan(versionsDir, cache);
        List<Revision> revisions = new ArrayList<>();
        Map<String, MigrationScript> byRevision = new LinkedHashMap<>();
        for (MigrationScript script : scan.scripts()) {
            revisions.add(new Revision(script.revision(), script.downRevisions(), script.fileName()));
            byRevision.putIfAbsent(script.revision(), script);
        }
        ValidGraphs valid = new ValidGraphs(cache, scan.scripts());
        List<GraphProblem> graphProblems = scan.hasProblems() || !valid.known() ? RevisionGraph.validate(revisions) : List.of();
        if (scan.hasProblems() || !graphProblems.isEmpty()) {
            throw invalid(versionsDir, scan.problems(), graphProblems);
        }
        valid.remember();
        return new MigrationSet(versionsDir, byRevision, RevisionGraph.ofValid(revisions));
    }

    /**
     * Starts {@link #load(Path, ScriptCache)} on a thread of its own.
     *
     * @return the migrations, or the exception the load threw
     */
    public static CompletableFuture<MigrationSet> loadInBackground(Path versionsDir, ScriptCache cache) {
        CompletableFuture<MigrationSet> loading = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                loading.complete(load(versionsDir, cache));
            } catch (RuntimeException | Error e) {
                loading.completeExceptionally(e);
            }
        }, "fhirmig-load-migrations");
        thread.setDaemon(true);
        thread.start();
        return loading;
    }

    private static FhirmigException invalid(Path dir, List<ScriptProblem> scripts, List<GraphProblem> graph) {
        int count = scripts.size() + graph.size();
        StringBuilder message = new StringBuilder("the migrations in " + dir + " are invalid (" + count
                + (count == 1 ? " problem" : " problems") + "):");
        for (ScriptProblem problem : scripts) {
            message.append("\n  - ").append(problem);
        }
        for (GraphProblem problem : graph) {
            message.append("\n  - ").append(problem.message());
        }
        return new FhirmigException(FhirmigException.Kind.INVALID_MIGRATIONS, message.toString());
    }

    public Path versionsDir() {
        return versionsDir;
    }

    public RevisionGraph graph() {
        return graph;
    }

    public MigrationScript script(String revision) {
        MigrationScript script = byRevision.get(revision);
        if (script == null) {
            throw new IllegalArgumentException("no script declares " + revision);
        }
        return script;
    }

    public boolean isEmpty() {
        return byRevision.isEmpty();
    }
}
