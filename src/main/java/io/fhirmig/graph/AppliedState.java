package io.fhirmig.graph;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An applied set that changes one revision at a time and keeps its heads up to date, so that a
 * plan can say after every step which heads the server must store. Updating the heads per step
 * costs only the revision's own links; recomputing them from the whole set would make a plan of
 * thousands of steps quadratic.
 */
final class AppliedState {

    private final RevisionGraph graph;
    private final Set<String> applied;
    private final TreeSet<String> heads;

    AppliedState(RevisionGraph graph, Set<String> applied) {
        this.graph = graph;
        this.applied = new HashSet<>(applied);
        this.heads = new TreeSet<>(graph.headsOf(applied));
    }

    /** Applies a revision whose parents are all applied; it becomes a head, its parents stop being. */
    void apply(String id) {
        if (applied.contains(id) || !applied.containsAll(graph.parentIds(id))) {
            throw new IllegalStateException("cannot apply " + id + ": applied already, or a parent is not");
        }
        applied.add(id);
        graph.parentIds(id).forEach(heads::remove);
        heads.add(id);
    }

    /** Reverts a head; each parent left with no applied child becomes a head again. */
    void revert(String id) {
        if (!heads.contains(id)) {
            throw new IllegalStateException("cannot revert " + id + ": it is not an applied head");
        }
        applied.remove(id);
        heads.remove(id);
        for (String parent : graph.parentIds(id)) {
            if (graph.childIds(parent).stream().noneMatch(applied::contains)) {
                heads.add(parent);
            }
        }
    }

    /** The current heads, sorted by id. */
    List<String> heads() {
        return List.copyOf(heads);
    }

    /** A read-only view of the current applied set. */
    Set<String> applied() {
        return Collections.unmodifiableSet(applied);
    }
}
