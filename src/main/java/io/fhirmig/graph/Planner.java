package io.fhirmig.graph;

import io.fhirmig.api.Direction;
import io.fhirmig.api.FhirmigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the heads stored on the server and a target into a plan: which revisions to apply or
 * revert, in which order, and which heads to store after each step.
 *
 * <p>Upgrading to T applies every unapplied ancestor of T (T included), parents before children,
 * ties broken by file name then id. Downgrading to T reverts every applied revision that
 * descends from T (T itself stays), children before parents, in exactly the reverse of the order
 * an upgrade would apply them. A target that is already reached gives an empty plan, not an
 * error. See {@link RelativeWalk} for {@code +N} and {@code -N}.
 */
public final class Planner {

    private final RevisionGraph graph;
    private final RelativeWalk walk;

    /**
     * Creates a planner over a graph.
     *
     * @param graph the valid graph of all migrations
     */
    public Planner(RevisionGraph graph) {
        this.graph = graph;
        this.walk = new RelativeWalk(graph);
    }

    /**
     * Plans an upgrade.
     *
     * @param storedHeads the heads stored on the server; empty means base
     * @param target      {@code head}, {@code heads}, {@code base} (nothing to do), {@code +N} or
     *                    a revision
     * @return the steps, each applying one revision; empty when the target is already applied
     * @throws FhirmigException {@code USAGE} for a target that is unknown, ambiguous or not an
     *     upgrade target; {@code INVALID_MIGRATIONS} for a stored head that no script declares
     */
    public Plan upgrade(Collection<String> storedHeads, Target target) {
        Set<String> applied = graph.appliedSet(storedHeads);
        Set<String> toApply;
        if (target instanceof Target.Base) {
            toApply = Set.of();
        } else if (target instanceof Target.Head) {
            toApply = graph.isEmpty() ? Set.of() : graph.missingAncestors(singleHead(), applied);
        } else if (target instanceof Target.Heads) {
            toApply = new HashSet<>();
            graph.heads().forEach(head -> toApply.addAll(graph.missingAncestors(head.id(), applied)));
        } else if (target instanceof Target.Rev rev) {
            toApply = graph.missingAncestors(graph.resolve(rev.idOrPrefix()).id(), applied);
        } else {
            int steps = ((Target.Relative) target).steps();
            if (steps < 0) {
                throw usage("upgrade moves up, so '" + target + "' is no upgrade target; use"
                        + " `fhirmig downgrade " + target + "`");
            }
            toApply = walk.up(applied, steps);
        }
        return applying(applied, toApply);
    }

    /**
     * Plans a downgrade.
     *
     * @param storedHeads the heads stored on the server; empty means base
     * @param target      {@code base}, {@code -N} or an applied revision
     * @return the steps, each reverting one revision; empty when nothing descends from the target
     * @throws FhirmigException {@code USAGE} for a target that is unknown, ambiguous, not applied
     *     or not a downgrade target; {@code INVALID_MIGRATIONS} for a stored head that no script
     *     declares
     */
    public Plan downgrade(Collection<String> storedHeads, Target target) {
        Set<String> applied = graph.appliedSet(storedHeads);
        Set<String> toRevert;
        if (target instanceof Target.Base) {
            toRevert = applied;
        } else if (target instanceof Target.Head || target instanceof Target.Heads) {
            throw usage("'" + target + "' is no downgrade target: downgrade to base, -N or a"
                    + " revision (upgrade goes to " + target + ")");
        } else if (target instanceof Target.Rev rev) {
            Revision keep = graph.resolve(rev.idOrPrefix());
            if (!applied.contains(keep.id())) {
                throw usage("cannot downgrade to " + keep.label() + ": it is not applied ("
                        + (applied.isEmpty() ? "nothing is"
                                : "the applied heads are " + String.join(", ", graph.headsOf(applied)))
                        + "); downgrade to an applied revision, or run `fhirmig upgrade "
                        + keep.id() + "` to apply it");
            }
            toRevert = new HashSet<>(graph.descendants(keep.id()));
            toRevert.retainAll(applied);
            toRevert.remove(keep.id());
        } else {
            int steps = ((Target.Relative) target).steps();
            if (steps > 0) {
                throw usage("downgrade moves down, so '" + target + "' is no downgrade target;"
                        + " use `fhirmig upgrade " + target + "`");
            }
            toRevert = walk.down(applied, -steps);
        }
        return reverting(applied, toRevert);
    }

    private String singleHead() {
        List<Revision> heads = graph.heads();
        if (heads.size() > 1) {
            throw usage("'head' is ambiguous: the migrations have " + heads.size() + " heads, "
                    + heads.stream().map(Revision::label).collect(Collectors.joining(", "))
                    + "; join them with `fhirmig merge "
                    + heads.stream().map(Revision::id).collect(Collectors.joining(" "))
                    + "`, or upgrade to `heads` (all of them) or to one revision");
        }
        return heads.get(0).id();
    }

    private Plan applying(Set<String> applied, Set<String> toApply) {
        AppliedState state = new AppliedState(graph, applied);
        List<Step> steps = new ArrayList<>();
        for (Revision revision : graph.inTopologicalOrder(toApply)) {
            state.apply(revision.id());
            steps.add(new Step(revision, Direction.UPGRADE, state.heads()));
        }
        return new Plan(Direction.UPGRADE, steps);
    }

    private Plan reverting(Set<String> applied, Set<String> toRevert) {
        AppliedState state = new AppliedState(graph, applied);
        List<Revision> order = new ArrayList<>(graph.inTopologicalOrder(toRevert));
        Collections.reverse(order);
        List<Step> steps = new ArrayList<>();
        for (Revision revision : order) {
            state.revert(revision.id());
            steps.add(new Step(revision, Direction.DOWNGRADE, state.heads()));
        }
        return new Plan(Direction.DOWNGRADE, steps);
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
