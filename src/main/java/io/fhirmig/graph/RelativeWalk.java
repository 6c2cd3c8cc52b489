package io.fhirmig.graph;

import io.fhirmig.api.FhirmigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resolves {@code +N} and {@code -N} into the revisions to apply or revert.
 *
 * <p>Each of the N steps moves one revision along a single path, so {@code +2} is {@code +1}
 * twice. Up: the next revision is the only child of the applied heads (from base, the root); it
 * is applied together with any unapplied parent it needs, so a merge counts as one step, as in
 * Alembic. Down: the single applied head is reverted; reverting a merge leaves its parents as
 * heads, after which a further step down is ambiguous. Whenever the next revision is not the only
 * one possible, this stops with a usage error that asks for a revision, rather than guess.
 */
final class RelativeWalk {

    private final RevisionGraph graph;

    RelativeWalk(RevisionGraph graph) {
        this.graph = graph;
    }

    /** The revisions that {@code +steps} applies, on top of the applied set. */
    Set<String> up(Set<String> applied, int steps) {
        String target = "+" + steps;
        AppliedState state = new AppliedState(graph, applied);
        for (int done = 0; done < steps; done++) {
            List<String> heads = state.heads();
            TreeSet<Revision> candidates = new TreeSet<>(TopologicalOrder.FILE_ORDER);
            if (heads.isEmpty()) {
                candidates.addAll(graph.roots());
            }
            heads.forEach(head -> candidates.addAll(graph.children(head)));
            if (candidates.isEmpty()) {
                throw usage(target + " goes beyond the head: " + (graph.isEmpty()
                        ? "there are no migrations"
                        : (done == 0 ? "no revision lies above " : "only " + plural(done, "step")
                                + (done == 1 ? " lies above " : " lie above ")) + where(graph.headsOf(applied))
                                + "; upgrade to `head` (or `heads`) to apply all that is left"));
            }
            if (candidates.size() > 1) {
                throw usage(target + " is ambiguous: " + after(done)
                        + (heads.size() == 1 ? "the graph branches after '" + heads.get(0) + "'"
                                : "the applied heads are " + String.join(", ", heads))
                        + " and the next revision could be any of " + labels(candidates)
                        + "; name the revision to upgrade to (`fhirmig upgrade REVISION`), or"
                        + " upgrade to `heads` to apply every branch");
            }
            Revision next = candidates.first();
            for (Revision revision : graph.inTopologicalOrder(
                    graph.missingAncestors(next.id(), state.applied()))) {
                state.apply(revision.id());
            }
        }
        Set<String> added = new HashSet<>(state.applied());
        added.removeAll(applied);
        return added;
    }

    /** The revisions that {@code -steps} reverts from the applied set. */
    Set<String> down(Set<String> applied, int steps) {
        String target = "-" + steps;
        AppliedState state = new AppliedState(graph, applied);
        List<String> reverted = new ArrayList<>();
        for (int done = 0; done < steps; done++) {
            List<String> heads = state.heads();
            if (heads.isEmpty()) {
                throw usage(target + " goes below base: " + (applied.isEmpty()
                        ? "nothing is applied"
                        : "only " + plural(applied.size(), "revision")
                                + (applied.size() == 1 ? " is" : " are") + " applied; downgrade"
                                + " to `base` to revert " + (applied.size() == 1 ? "it" : "them all")));
            }
            if (heads.size() > 1) {
                throw usage(target + " is ambiguous: "
                        + (done == 0 ? "" : "after reverting " + String.join(", ", reverted) + ", ")
                        + heads.size() + " heads are applied (" + String.join(", ", heads)
                        + ") and a step down could revert any of them; name the revision to"
                        + " downgrade to (`fhirmig downgrade REVISION`)");
            }
            state.revert(heads.get(0));
            reverted.add(heads.get(0));
        }
        return new HashSet<>(reverted);
    }

    private static String after(int done) {
        return done == 0 ? "" : "after " + plural(done, "step") + ", ";
    }

    private static String where(List<String> heads) {
        if (heads.isEmpty()) {
            return "base";
        }
        return (heads.size() == 1 ? "the applied head '" : "the applied heads '")
                + String.join("', '", heads) + "'";
    }

    private static String labels(Set<Revision> revisions) {
        return revisions.stream().map(Revision::label).collect(Collectors.joining(", "));
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
