package io.fhirmig.verify;

import io.fhirmig.api.VerifyReport.Difference;
import io.fhirmig.run.ResourceValues;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The differences between two snapshots, value by value. A resource found on one side only is first
 * matched by its content with one found on the other side only, of the same type: a resource
 * deleted and created again gets a new server-assigned id, and is still the same data.
 */
final class SnapshotDiff {

    /** The value of a whole resource (path {@code ""}) that exists, against null for one that does not. */
    static final String EXISTS = "exists";

    private SnapshotDiff() {
    }

    /**
     * @param expected the snapshot the data should equal
     * @param found the snapshot taken now
     * @param original a resource's values before the verification started, for one written only later
     * @return every difference, resource by resource, in the order the resources were first written
     */
    static List<Difference> between(Snapshot expected, Snapshot found, Function<String, Map<String, String>> original) {
        Set<String> keys = new LinkedHashSet<>(expected.resources().keySet());
        keys.addAll(found.resources().keySet());
        List<String> gone = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String key : keys) {
            Map<String, String> before = valueIn(expected, key, original);
            Map<String, String> after = valueIn(found, key, original);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (after == null) {
                gone.add(key);
            } else if (before == null) {
                added.add(key);
            } else {
                changed.add(key);
            }
        }
        matchByContent(gone, added, expected, found, original);
        List<Difference> differences = new ArrayList<>();
        for (String key : keys) {
            if (changed.contains(key) || gone.contains(key) || added.contains(key)) {
                differences.addAll(of(key, valueIn(expected, key, original), valueIn(found, key, original)));
            }
        }
        return differences;
    }

    private static Map<String, String> valueIn(Snapshot snapshot, String key, Function<String, Map<String, String>> original) {
        return snapshot.resources().containsKey(key) ? snapshot.resources().get(key) : original.apply(key);
    }

    /** Takes out of both lists each pair of a resource gone and one added with the same type and content. */
    private static void matchByContent(List<String> gone, List<String> added, Snapshot expected, Snapshot found,
            Function<String, Map<String, String>> original) {
        for (Iterator<String> goneKeys = gone.iterator(); goneKeys.hasNext(); ) {
            String goneKey = goneKeys.next();
            Map<String, String> content = valueIn(expected, goneKey, original);
            for (Iterator<String> addedKeys = added.iterator(); addedKeys.hasNext(); ) {
                String addedKey = addedKeys.next();
                if (typeOf(addedKey).equals(typeOf(goneKey)) && content.equals(valueIn(found, addedKey, original))) {
                    addedKeys.remove();
                    goneKeys.remove();
                    break;
                }
            }
        }
    }

    private static String typeOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    private static List<Difference> of(String key, Map<String, String> before, Map<String, String> after) {
        if (before == null) {
            return List.of(new Difference(key, "", null, EXISTS));
        }
        if (after == null) {
            return List.of(new Difference(key, "", EXISTS, null));
        }
        return ResourceValues.changes(before, after).stream()
                .map(change -> new Difference(key, change.path(), change.before(), change.after())).toList();
    }
}
