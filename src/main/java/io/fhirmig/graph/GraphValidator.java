package io.fhirmig.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks that revisions form one graph: unique valid ids, known parents, no cycle, one root.
 * It looks for every problem rather than stopping at the first, because a user fixing files one
 * error per run would have to run again and again.
 */
final class GraphValidator {

    /** Revisions in file order, so that messages list files the way a directory listing does. */
    private final List<Revision> revisions;
    /** Every declaration of each id, in file order. */
    private final SortedMap<String, List<Revision>> declarations = new TreeMap<>();
    private final List<GraphProblem> problems = new ArrayList<>();

    private GraphValidator(Collection<Revision> revisions) {
        this.revisions = revisions.stream().sorted(TopologicalOrder.FILE_ORDER).toList();
        for (Revision revision : this.revisions) {
            declarations.computeIfAbsent(revision.id(), id -> new ArrayList<>()).add(revision);
        }
    }

    /** Every problem of the given revisions, grouped by kind; empty when they form a valid graph. */
    static List<GraphProblem> validate(Collection<Revision> revisions) {
        GraphValidator validator = new GraphValidator(revisions);
        validator.duplicates();
        validator.invalidIds();
        validator.repeatedParents();
        validator.unknownParents();
        validator.roots();
        validator.cycles();
        return List.copyOf(validator.problems);
    }

    private void duplicates() {
        declarations.forEach((id, declared) -> {
            if (declared.size() > 1) {
                List<String> files = files(declared);
                add(GraphProblem.Kind.DUPLICATE_REVISION, files,
                        "revision '" + id + "' is declared by " + files.size() + " files: "
                                + String.join(", ", files)
                                + "; revision ids must be unique: give all but one of them a new"
                                + " revision id (and update any downRevision that names it)");
            }
        });
    }

    private void invalidIds() {
        for (Revision revision : revisions) {
            if (!Revision.ID_PATTERN.matcher(revision.id()).matches()) {
                add(GraphProblem.Kind.INVALID_REVISION_ID, List.of(revision.file()),
                        revision.file() + ": revision '" + revision.id() + "' is not a valid"
                                + " revision id; use only letters, digits, '_' and '-'");
            }
        }
    }

    private void repeatedParents() {
        for (Revision revision : revisions) {
            Set<String> seen = new HashSet<>();
            Set<String> repeated = new LinkedHashSet<>();
            for (String parent : revision.downRevisions()) {
                if (!seen.add(parent)) {
                    repeated.add(parent);
                }
            }
            for (String parent : repeated) {
                add(GraphProblem.Kind.REPEATED_DOWN_REVISION, List.of(revision.file()),
                        revision.file() + ": downRevision names '" + parent + "' more than once;"
                                + " list each parent revision once");
            }
        }
    }

    private void unknownParents() {
        for (Revision revision : revisions) {
            for (String parent : new LinkedHashSet<>(revision.downRevisions())) {
                if (!declarations.containsKey(parent)) {
                    add(GraphProblem.Kind.UNKNOWN_DOWN_REVISION, List.of(revision.file()),
                            revision.file() + ": downRevision '" + parent + "' of revision '"
                                    + revision.id() + "' is declared by no migration; point it at"
                                    + " an existing revision id, or restore the missing migration"
                                    + didYouMean(parent));
                }
            }
        }
    }

    /** A downRevision that is a prefix of exactly one id was most likely meant as that id. */
    private String didYouMean(String parent) {
        List<String> candidates = declarations.tailMap(parent).keySet().stream()
                .takeWhile(id -> id.startsWith(parent)).limit(2).toList();
        if (parent.isEmpty() || candidates.size() != 1) {
            return "";
        }
        Revision meant = declarations.get(candidates.get(0)).get(0);
        return "; did you mean " + meant.label() + "? downRevision needs the full id";
    }

    private void roots() {
        List<Revision> roots = revisions.stream().filter(Revision::isRoot).toList();
        long distinctIds = roots.stream().map(Revision::id).distinct().count();
        if (distinctIds > 1) {
            add(GraphProblem.Kind.MULTIPLE_ROOTS, files(roots),
                    roots.size() + " migrations have no downRevision: "
                            + roots.stream().map(Revision::label).collect(Collectors.joining(", "))
                            + "; only the first migration may have none: set the downRevision of"
                            + " each of the others to the revision it follows");
        }
    }

    private void cycles() {
        // Edges run from parent to child, so that a printed cycle reads in upgrade order, the way
        // `history` shows "down -> revision". Duplicate ids share one node: their edges are merged.
        SortedMap<String, SortedSet<String>> children = new TreeMap<>();
        declarations.keySet().forEach(id -> children.put(id, new TreeSet<>()));
        for (Revision revision : revisions) {
            for (String parent : revision.downRevisions()) {
                if (children.containsKey(parent)) {
                    children.get(parent).add(revision.id());
                }
            }
        }
        for (CycleFinder.Cycle cycle : CycleFinder.find(children)) {
            List<String> files = files(cycle.members().stream()
                    .flatMap(id -> declarations.get(id).stream()).toList());
            Set<String> others = new TreeSet<>(cycle.members());
            cycle.path().forEach(others::remove);
            add(GraphProblem.Kind.CYCLE, files,
                    "downRevision links form a cycle: " + String.join(" -> ", cycle.path())
                            + " (each is the downRevision of the next)"
                            + (others.isEmpty() ? "" : ", and " + String.join(", ", others)
                                    + " loop through it too")
                            + ", in " + String.join(", ", files)
                            + "; a migration cannot come after itself: fix the downRevision of"
                            + " one of them");
        }
    }

    private void add(GraphProblem.Kind kind, List<String> files, String message) {
        problems.add(new GraphProblem(kind, message, files));
    }

    private static List<String> files(Collection<Revision> revisions) {
        return revisions.stream().map(Revision::file).distinct()
                .sorted(Comparator.naturalOrder()).toList();
    }
}
