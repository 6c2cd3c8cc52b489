package io.fhirmig.graph;

import io.fhirmig.api.FhirmigException;
import java.util.regex.Pattern;

/** The parsing behind {@link Target#parse}, kept out of the interface's public surface. */
final class TargetParser {

    private static final Pattern RELATIVE = Pattern.compile("[+-][0-9]+");

    private TargetParser() {
    }

    static Target parse(String text) {
        if (text == null || text.isBlank()) {
            throw usage("no target given: use head, heads, base, +N, -N or a revision");
        }
        String target = text.strip();
        switch (target) {
            case "head":
                return Target.HEAD;
            case "heads":
                return Target.HEADS;
            case "base":
                return Target.BASE;
            default:
                break;
        }
        if (RELATIVE.matcher(target).matches()) {
            return relative(target);
        }
        if (Revision.ID_PATTERN.matcher(target).matches()) {
            return new Target.Rev(target);
        }
        throw usage("'" + target + "' is not a target: use head, heads, base, +N, -N, or a revision"
                + " id or prefix (letters, digits, '_' and '-')");
    }

    private static Target relative(String target) {
        int steps;
        try {
            steps = Integer.parseInt(target.substring(1));
        } catch (NumberFormatException tooBig) {
            throw usage("'" + target + "' is too many steps: there are not that many migrations");
        }
        if (steps == 0) {
            throw usage("'" + target + "' moves nowhere: give at least one step, as in "
                    + target.charAt(0) + "1");
        }
        return new Target.Relative(target.charAt(0) == '-' ? -steps : steps);
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
