package io.fhirmig.graph;

import io.fhirmig.api.FhirmigException;
import java.util.Objects;

/**
 * Where a user asks to move the applied set: {@code head}, {@code heads}, {@code base}, {@code +N},
 * {@code -N} or a revision id or unique prefix. Each target's {@code toString()} gives the text
 * back as the user would write it, for messages.
 */
public sealed interface Target permits Target.Head, Target.Heads, Target.Base, Target.Relative, Target.Rev {

    /** The single head of the graph. */
    Target HEAD = new Head();
    /** Every head of the graph. */
    Target HEADS = new Heads();
    /** Nothing applied. */
    Target BASE = new Base();

    /**
     * Reads a target as a user typed it. The words {@code head}, {@code heads} and {@code base}
     * win over a revision that starts with them; a sign followed by digits only is relative, so
     * {@code -12} is twelve steps down while {@code -12ab} is a revision.
     *
     * @param text the target, surrounding white space ignored
     * @return the target
     * @throws FhirmigException ({@code USAGE}) for anything else, or for {@code +0} / {@code -0}
     */
    static Target parse(String text) {
        return TargetParser.parse(text);
    }

    /** {@code head}: the single head of the graph; several heads make it ambiguous. */
    record Head() implements Target {
        @Override
        public String toString() {
            return "head";
        }
    }

    /** {@code heads}: every head of the graph, so every revision applied. */
    record Heads() implements Target {
        @Override
        public String toString() {
            return "heads";
        }
    }

    /** {@code base}: nothing applied. */
    record Base() implements Target {
        @Override
        public String toString() {
            return "base";
        }
    }

    /**
     * {@code +N} or {@code -N}: N revisions up from, or down from, the current head.
     *
     * @param steps how many revisions, positive upward and negative downward, never zero
     */
    record Relative(int steps) implements Target {
        /**
         * Rejects zero, which would move nowhere.
         *
         * @param steps how many revisions, never zero
         */
        public Relative {
            if (steps == 0) {
                throw new IllegalArgumentException("a relative target moves at least one step");
            }
        }

        @Override
        public String toString() {
            return (steps > 0 ? "+" : "") + steps;
        }
    }

    /**
     * A revision, by its full id or a unique prefix of it (resolved against a graph later).
     *
     * @param idOrPrefix the text, matching {@link Revision#ID_PATTERN}
     */
    record Rev(String idOrPrefix) implements Target {
        /**
         * Rejects text that cannot be (the start of) a revision id.
         *
         * @param idOrPrefix the text
         */
        public Rev {
            Objects.requireNonNull(idOrPrefix, "idOrPrefix");
            if (!Revision.ID_PATTERN.matcher(idOrPrefix).matches()) {
                throw new IllegalArgumentException("not a revision id: " + idOrPrefix);
            }
        }

        @Override
        public String toString() {
            return idOrPrefix;
        }
    }
}
