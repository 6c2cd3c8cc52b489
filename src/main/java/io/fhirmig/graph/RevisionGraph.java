package io.fhirmig.graph;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.ServerText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The migrations linked both ways: down to their parents and up to their children. Built only
 * from a valid set of revisions (see {@link #validate}), so it has no cycle, no unknown parent and
 * at most one root; it may have several heads (branches). Immutable and safe to share.
 *
 * <p>Every list of revisions it returns is in a deterministic order: {@link #revisions()} and the
 * id sets are in topological order (parents first, ties broken by file name, then id); children,
 * heads and roots are in file order; parents are in the order the script lists them.
 */
public final class RevisionGraph {

    /** How many candidates an ambiguous prefix lists before it says "and N more". */
    private static final int MAX_CANDIDATES_SHOWN = 10;

    private final Map<String, Revision> byId;
    private final Map<String, Integer> position;
    private final Map<String, List<Revision>> children;
    private volatile NavigableMap<String, Revision> sortedIds;
    private final List<Revision> revisions;
    private final List<Revision> heads;
    private final List<Revision> roots;

    private RevisionGraph(Collection<Revision> input) {
        // Plain loops, and sorting only what has more than one element: a graph of thousands is built
        // on every command, mostly before the JIT compiler has reached this code.
        Map<String, List<Revision>> kids = new HashMap<>(input.size() * 2);
        for (Revision revision : input) {
            kids.put(revision.id(), new ArrayList<>(1));
        }
        for (Revision revision : input) {
            for (String parent : revision.downRevisions()) {
                kids.get(parent).add(revision);
            }
        }
        kids.replaceAll((id, list) -> sortedCopy(list));
        this.children = kids;
        this.revisions = TopologicalOrder.of(input, kids::get);
        this.byId = new LinkedHashMap<>(revisions.size() * 2);
        this.position = new HashMap<>(revisions.size() * 2);
        List<Revision> heads = new ArrayList<>();
        List<Revision> roots = new ArrayList<>();
        for (Revision revision : revisions) {
            position.put(revision.id(), byId.size());
            byId.put(revision.id(), revision);
            if (kids.get(revision.id()).isEmpty()) {
                heads.add(revision);
            }
            if (revision.isRoot()) {
                roots.add(revision);
            }
        }
        this.heads = sortedCopy(heads);
        this.roots = sortedCopy(roots);
    }

    private static List<Revision> sortedCopy(List<Revision> list) {
        if (list.size() < 2) {
            return List.copyOf(list);
        }
        List<Revision> sorted = new ArrayList<>(list);
        sorted.sort(TopologicalOrder.FILE_ORDER);
        return List.copyOf(sorted);
    }

    /** The ids in order, for finding a revision by a prefix of its id; made on the first such search. */
    private NavigableMap<String, Revision> sortedIds() {
        NavigableMap<String, Revision> sorted = sortedIds;
        if (sorted == null) {
            sorted = new TreeMap<>(byId);
            sortedIds = sorted;
        }
        return sorted;
    }

    /**
     * Finds every problem that keeps the revisions from forming a valid graph, all at once.
     *
     * @param revisions the migrations, as the script package read them
     * @return the problems, grouped by kind and in file order; empty when the graph is valid
     *     (no revisions at all is valid)
     */
    public static List<GraphProblem> validate(Collection<Revision> revisions) {
        return GraphValidator.validate(revisions);
    }

    /**
     * Links valid revisions into a graph.
     *
     * @param revisions the migrations, as the script package read them
     * @return the graph
     * @throws InvalidGraphException listing every problem when {@link #validate} finds any
     */
    public static RevisionGraph build(Collection<Revision> revisions) {
        List<GraphProblem> problems = validate(revisions);
        if (!problems.isEmpty()) {
            throw new InvalidGraphException(problems);
        }
        return new RevisionGraph(revisions);
    }

    /**
     * Links revisions already found valid by {@link #validate}, without validating them again: for
     * a caller that validated them itself or knows this exact set valid from before (validation
     * depends only on the revisions' ids, parents and files).
     *
     * @param revisions revisions for which {@link #validate} returned no problem
     * @return the graph
     */
    public static RevisionGraph ofValid(Collection<Revision> revisions) {
        return new RevisionGraph(revisions);
    }

    /**
     * Every revision, parents before children, ties broken by file name then id.
     *
     * @return all revisions in topological order
     */
    public List<Revision> revisions() {
        return revisions;
    }

    /**
     * Tells whether there are no migrations at all.
     *
     * @return true for an empty graph
     */
    public boolean isEmpty() {
        return revisions.isEmpty();
    }

    /**
     * Tells whether a revision with exactly this id exists.
     *
     * @param id a full revision id
     * @return true when some migration declares it
     */
    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    /**
     * Looks a revision up by its full id.
     *
     * @param id a full revision id
     * @return the revision, or empty when no migration declares it
     */
    public Optional<Revision> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Looks a revision up by its full id; see {@link #resolve} for prefixes.
     *
     * @param id a full revision id
     * @return the revision
     * @throws FhirmigException ({@code USAGE}) when no migration declares it
     */
    public Revision get(String id) {
        Revision revision = byId.get(id);
        if (revision == null) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "no such revision '" + id
                    + "': no migration declares it");
        }
        return revision;
    }

    /**
     * The parents of a revision, in the order its script lists them.
     *
     * @param id a full revision id
     * @return its parents; empty for the root
     * @throws FhirmigException ({@code USAGE}) for an unknown id
     */
    public List<Revision> parents(String id) {
        return get(id).downRevisions().stream().map(byId::get).toList();
    }

    /**
     * The children of a revision, in file order.
     *
     * @param id a full revision id
     * @return the revisions that name it as a downRevision; empty for a head
     * @throws FhirmigException ({@code USAGE}) for an unknown id
     */
    public List<Revision> children(String id) {
        get(id);
        return children.get(id);
    }

    /**
     * The revisions that have no child, in file order. Several heads are branches, not an error.
     *
     * @return the heads; empty only for an empty graph
     */
    public List<Revision> heads() {
        return heads;
    }

    /**
     * The revisions that have no parent: one, or none for an empty graph.
     *
     * @return the roots
     */
    public List<Revision> roots() {
        return roots;
    }

    /**
     * A revision and everything it descends from.
     *
     * @param id a full revision id
     * @return the ids, the revision included, in topological order
     * @throws FhirmigException ({@code USAGE}) for an unknown id
     */
    public Set<String> ancestors(String id) {
        get(id);
        return inGraphOrder(closure(List.of(id), this::parentIds));
    }

    /**
     * A revision and everything that descends from it.
     *
     * @param id a full revision id
     * @return the ids, the revision included, in topological order
     * @throws FhirmigException ({@code USAGE}) for an unknown id
     */
    public Set<String> descendants(String id) {
        get(id);
        return inGraphOrder(closure(List.of(id), this::childIds));
    }

    /**
     * Finds the revision a user means: the exact id if one matches, else the only id that starts
     * with the text.
     *
     * @param idOrPrefix a full id or a prefix of one
     * @return the revision
     * @throws FhirmigException ({@code USAGE}) when no id matches, or several start with the text
     *     (the message lists them)
     */
    public Revision resolve(String idOrPrefix) {
        Revision exact = byId.get(idOrPrefix);
        if (exact != null) {
            return exact;
        }
        if (idOrPrefix.isEmpty()) {
            throw usage("an empty revision names nothing: give a revision id or a prefix of one");
        }
        List<Revision> candidates = sortedIds().tailMap(idOrPrefix, true).values().stream()
                .takeWhile(r -> r.id().startsWith(idOrPrefix)).toList();
        if (candidates.isEmpty()) {
            throw usage("no such revision '" + idOrPrefix + "': no migration's revision id starts"
                    + " with it" + (isEmpty() ? " (there are no migrations)" : ""));
        }
        if (candidates.size() > 1) {
            String shown = candidates.stream().limit(MAX_CANDIDATES_SHOWN).map(Revision::label)
                    .collect(Collectors.joining(", "));
            int hidden = candidates.size() - MAX_CANDIDATES_SHOWN;
            throw usage("revision '" + idOrPrefix + "' is ambiguous: it is the start of "
                    + candidates.size() + " revision ids: " + shown
                    + (hidden > 0 ? " and " + hidden + " more" : "")
                    + "; give more characters of the one you mean");
        }
        return candidates.get(0);
    }

    /**
     * The applied set that stored heads stand for: every ancestor of them, the heads included.
     *
     * @param storedHeads the heads recorded on the server; empty means base
     * @return the applied ids in topological order
     * @throws FhirmigException ({@code INVALID_MIGRATIONS}) when a stored head is declared by no
     *     script; the message points at {@code fhirmig stamp}
     */
    public Set<String> appliedSet(Collection<String> storedHeads) {
        List<String> unknown = storedHeads.stream().filter(h -> !byId.containsKey(h))
                .distinct().sorted().toList();
        if (!unknown.isEmpty()) {
            // The heads come from the server: a few are named, escaped, not 200,000 of them.
            String names = ServerText.list(unknown.stream().map(h -> "'" + h + "'").toList(), 5);
            throw new FhirmigException(FhirmigException.Kind.INVALID_MIGRATIONS,
                    (unknown.size() == 1 ? "the server's head " + names + " is"
                            : "the server's heads " + names + " are")
                            + " declared by no script; restore the migration that declares it"
                            + " (check the migrations directory and namespace), or run"
                            + " `fhirmig stamp REVISION` to record which revision the server's"
                            + " data is really at");
        }
        return inGraphOrder(closure(storedHeads, this::parentIds));
    }

    /**
     * The heads of an applied set: its members that have no child in it.
     *
     * @param applied a set of ids of this graph, normally closed under ancestors
     * @return the heads, sorted by id (the form stored on the server)
     * @throws IllegalArgumentException when the set holds an id this graph does not know
     */
    public List<String> headsOf(Set<String> applied) {
        List<String> result = new ArrayList<>();
        for (String id : applied) {
            List<Revision> kids = children.get(id);
            if (kids == null) {
                throw new IllegalArgumentException("not a revision of this graph: " + id);
            }
            if (kids.stream().noneMatch(child -> applied.contains(child.id()))) {
                result.add(id);
            }
        }
        result.sort(Comparator.naturalOrder());
        return List.copyOf(result);
    }

    /** The given revisions parents first, ties broken by file then id (the order plans run in). */
    List<Revision> inTopologicalOrder(Collection<String> ids) {
        return TopologicalOrder.of(ids.stream().map(byId::get).toList(), children::get);
    }

    /** The ancestors of a revision, itself included, that are not in the applied set. */
    Set<String> missingAncestors(String id, Set<String> applied) {
        Set<String> found = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(id));
        while (!queue.isEmpty()) {
            String next = queue.poll();
            if (!applied.contains(next) && found.add(next)) {
                queue.addAll(parentIds(next));
            }
        }
        return found;
    }

    List<String> parentIds(String id) {
        return byId.get(id).downRevisions();
    }

    List<String> childIds(String id) {
        return children.get(id).stream().map(Revision::id).toList();
    }

    private static Set<String> closure(Collection<String> start, Function<String, List<String>> next) {
        Set<String> found = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(start);
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (found.add(id)) {
                queue.addAll(next.apply(id));
            }
        }
        return found;
    }

    private Set<String> inGraphOrder(Set<String> ids) {
        Set<String> ordered = new LinkedHashSet<>(ids.size() * 2);
        if (ids.size() * 16L < revisions.size()) {
            List<String> few = new ArrayList<>(ids);
            few.sort((a, b) -> Integer.compare(position.get(a), position.get(b)));
            ordered.addAll(few);
        } else {
            // A large part of the graph (the applied set, mostly): one walk in order beats sorting it.
            for (Revision revision : revisions) {
                if (ids.contains(revision.id())) {
                    ordered.add(revision.id());
                }
            }
        }
        return Collections.unmodifiableSet(ordered);
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
