package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import java.util.Map;
import java.util.Set;

/**
 * The options of a bulk operation, from the script's map: {@code pageSize} (search page, default
 * 1000), {@code batchSize} (entries per Bundle, default 100), {@code threads} (writers, default 2),
 * {@code bundleType} ({@code 'transaction'}, the default, whose Bundles are sent again as batches
 * when one entry conflicts, or {@code 'batch'}) and {@code progress}
 * (force the progress bar on or off; by default it shows on a terminal unless {@code -q}).
 */
record BulkOptions(int pageSize, int batchSize, int threads, boolean transaction, Boolean progress) {

    static final int DEFAULT_PAGE_SIZE = 1000;
    static final int DEFAULT_BATCH_SIZE = 100;
    static final int DEFAULT_THREADS = 2;
    private static final Set<String> KEYS = Set.of("pageSize", "batchSize", "threads", "bundleType", "progress");

    static BulkOptions of(Map<String, ?> options) {
        Map<String, ?> map = options == null ? Map.of() : options;
        for (String key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw usage("unknown option '" + key + "'; the options are " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        String type = map.containsKey("bundleType") ? String.valueOf(map.get("bundleType")) : "transaction";
        if (!type.equals("batch") && !type.equals("transaction")) {
            throw usage("bundleType must be 'batch' or 'transaction', not '" + type + "'");
        }
        Object progress = map.get("progress");
        return new BulkOptions(positive(map, "pageSize", DEFAULT_PAGE_SIZE), positive(map, "batchSize", DEFAULT_BATCH_SIZE),
                positive(map, "threads", DEFAULT_THREADS), type.equals("transaction"),
                progress == null ? null : Boolean.valueOf(String.valueOf(progress)));
    }

    private static int positive(Map<String, ?> map, String key, int fallback) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(String.valueOf(value));
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage(key + " must be a positive whole number, not '" + value + "'");
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, "bulk options: " + message);
    }
}
