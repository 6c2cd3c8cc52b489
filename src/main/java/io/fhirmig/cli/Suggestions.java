package io.fhirmig.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The names a mistyped one may mean, for the "did you mean" of an unknown command or option. */
final class Suggestions {

    private static final int MAX_DISTANCE = 2;

    private Suggestions() {}

    /**
     * {@return the names nearest to {@code typed}, best first: at most an edit or two away, ignoring
     * case and dashes; empty when none is}
     */
    static List<String> near(String typed, Collection<String> names) {
        String plain = plain(typed);
        int best = MAX_DISTANCE + 1;
        List<String> nearest = new ArrayList<>();
        for (String name : names) {
            String candidate = plain(name);
            // A short name is too easily "near" anything: -p is not what --x means.
            if (candidate.length() < 3 || plain.length() < 2) {
                continue;
            }
            int distance = distance(plain, candidate);
            if (distance > (plain.length() <= 4 ? 1 : MAX_DISTANCE)) {
                continue;
            }
            if (distance < best) {
                best = distance;
                nearest.clear();
            }
            if (distance == best && !nearest.contains(name)) {
                nearest.add(name);
            }
        }
        return nearest.size() > 3 ? nearest.subList(0, 3) : nearest;
    }

    private static String plain(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** The optimal-string-alignment distance: Levenshtein, with a swap of neighbours as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
