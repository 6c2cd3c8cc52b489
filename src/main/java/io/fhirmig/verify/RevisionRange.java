package io.fhirmig.verify;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.graph.Planner;
import io.fhirmig.graph.RevisionGraph;
import io.fhirmig.graph.Step;
import io.fhirmig.graph.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which migrations a verification runs, in upgrade order: all of them, one ({@code REV}), or those
 * from one revision to another ({@code FROM:TO}, both included, either side optional). The migrations
 * the range needs below it run first, unchecked.
 *
 * @param steps every revision to upgrade, parents before children
 * @param checked the revisions among them to verify
 */
record RevisionRange(List<String> steps, Set<String> checked) {

    static RevisionRange of(String text, RevisionGraph graph) {
        String range = text == null ? "" : text.trim();
        String from;
        String to;
        int colon = range.indexOf(':');
        if (colon < 0) {
            from = range.isEmpty() ? null : range;
            to = from;
        } else {
            from = blankToNull(range.substring(0, colon));
            to = blankToNull(range.substring(colon + 1));
            if (range.indexOf(':', colon + 1) >= 0) {
                throw usage("'" + range + "' is no range: give REV, FROM:TO, FROM: or :TO");
            }
        }
        if ("base".equals(from)) {
            from = null;
        }
        Target target = to == null || "heads".equals(to) ? Target.HEADS : "head".equals(to) ? Target.HEAD
                : new Target.Rev(graph.resolve(to).id());
        List<String> steps = new ArrayList<>();
        for (Step step : new Planner(graph).upgrade(List.of(), target).steps()) {
            steps.add(step.revision().id());
        }
        Set<String> checked = new HashSet<>(steps);
        if (from != null) {
            String first = "head".equals(from) ? singleHead(graph) : graph.resolve(from).id();
            if (!steps.contains(first)) {
                throw usage("'" + range + "' is an empty range: " + first + " does not lead to " + to);
            }
            checked.retainAll(graph.descendants(first));
        }
        return new RevisionRange(List.copyOf(steps), Set.copyOf(checked));
    }

    private static String singleHead(RevisionGraph graph) {
        if (graph.heads().size() != 1) {
            throw usage("'head' is ambiguous: the migrations have " + graph.heads().size() + " heads; name a revision");
        }
        return graph.heads().get(0).id();
    }

    private static String blankToNull(String text) {
        return text.isBlank() ? null : text.trim();
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
