package io.fhirmig.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Finds every cycle of a directed graph, one per strongly connected component, so that all of
 * them are reported at once. Tarjan's algorithm, iterative, because a chain of thousands of
 * migrations would overflow the stack of a recursive one.
 */
final class CycleFinder {

    /** One strongly connected component that loops: a printable cycle and all its members. */
    record Cycle(List<String> path, SortedSet<String> members) {
    }

    private final SortedMap<String, SortedSet<String>> edges;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<Cycle> cycles = new ArrayList<>();

    private CycleFinder(SortedMap<String, SortedSet<String>> edges) {
        this.edges = edges;
    }

    /**
     * Finds the cycles of a graph given as node -> successors; every successor must be a key.
     * Cycles come in the order of their smallest node; each path starts and ends at that node.
     */
    static List<Cycle> find(SortedMap<String, SortedSet<String>> edges) {
        CycleFinder finder = new CycleFinder(edges);
        for (String node : edges.keySet()) {
            if (!finder.index.containsKey(node)) {
                finder.strongConnect(node);
            }
        }
        finder.cycles.sort((a, b) -> a.members().first().compareTo(b.members().first()));
        return finder.cycles;
    }

    private record Frame(String node, Iterator<String> successors) {
    }

    private void strongConnect(String start) {
        Deque<Frame> work = new ArrayDeque<>();
        visit(start, work);
        while (!work.isEmpty()) {
            Frame frame = work.peek();
            if (frame.successors().hasNext()) {
                String next = frame.successors().next();
                if (!index.containsKey(next)) {
                    visit(next, work);
                } else if (onStack.contains(next)) {
                    low.merge(frame.node(), index.get(next), Math::min);
                }
                continue;
            }
            work.pop();
            if (!work.isEmpty()) {
                low.merge(work.peek().node(), low.get(frame.node()), Math::min);
            }
            if (low.get(frame.node()).equals(index.get(frame.node()))) {
                closeComponent(frame.node());
            }
        }
    }

    private void visit(String node, Deque<Frame> work) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        work.push(new Frame(node, edges.get(node).iterator()));
    }

    private void closeComponent(String root) {
        SortedSet<String> members = new TreeSet<>();
        String node;
        do {
            node = stack.pop();
            onStack.remove(node);
            members.add(node);
        } while (!node.equals(root));
        boolean loops = members.size() > 1 || edges.get(root).contains(root);
        if (loops) {
            cycles.add(new Cycle(shortestLoop(members), Collections.unmodifiableSortedSet(members)));
        }
    }

    /** The shortest way from the smallest member back to itself, staying inside the component. */
    private List<String> shortestLoop(SortedSet<String> members) {
        String start = members.first();
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String next : edges.get(node)) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String at = node; !at.equals(start); at = previous.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (members.contains(next) && !previous.containsKey(next)) {
                    previous.put(next, node);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException("a strongly connected component without a loop: " + members);
    }
}
