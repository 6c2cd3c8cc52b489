package io.fhirmig.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * Orders revisions parents first. When several revisions could run next, the one whose file name
 * sorts first runs first (then the smaller id), so that the same migrations always run in the
 * same order, and in the order a directory listing suggests.
 */
final class TopologicalOrder {

    /** The tie-break: file name, then id. */
    static final Comparator<Revision> FILE_ORDER = (a, b) -> {
        int byFile = a.file().compareTo(b.file());
        return byFile != 0 ? byFile : a.id().compareTo(b.id());
    };

    private TopologicalOrder() {
    }

    /**
     * Orders a set of revisions of a valid graph parents first (Kahn's algorithm with the file
     * order as priority). Parents outside the set count as already there.
     *
     * @param subset   the revisions to order
     * @param children the children of each revision, in the whole graph
     */
    static List<Revision> of(Collection<Revision> subset, Function<String, List<Revision>> children) {
        Map<String, Integer> waitingFor = new HashMap<>();
        for (Revision revision : subset) {
            waitingFor.put(revision.id(), 0);
        }
        for (Revision revision : subset) {
            for (String parent : revision.downRevisions()) {
                if (waitingFor.containsKey(parent)) {
                    waitingFor.merge(revision.id(), 1, Integer::sum);
                }
            }
        }
        PriorityQueue<Revision> ready = new PriorityQueue<>(FILE_ORDER);
        for (Revision revision : subset) {
            if (waitingFor.get(revision.id()) == 0) {
                ready.add(revision);
            }
        }
        List<Revision> ordered = new ArrayList<>(subset.size());
        while (!ready.isEmpty()) {
            Revision next = ready.poll();
            ordered.add(next);
            for (Revision child : children.apply(next.id())) {
                Integer waiting = waitingFor.get(child.id());
                if (waiting != null && waitingFor.merge(child.id(), -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        if (ordered.size() != subset.size()) {
            throw new IllegalStateException("revisions in a cycle cannot be ordered; validate first");
        }
        return ordered;
    }
}
