package io.fhirmig.run;

import io.fhirmig.script.CacheFile;
import io.fhirmig.script.CacheKey;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.script.ScriptCache;
import java.nio.file.Path;
import java.util.List;

/**
 * Remembers, in the cache, the last set of scripts whose graph was validated without a problem.
 * Validation depends only on each script's file name and header, and the header only on its text:
 * so the same file names with the same checksums are the same valid graph, and validating thousands
 * of revisions again is skipped. Any added, removed, renamed or edited script changes the key.
 */
final class ValidGraphs {

    private static final String KIND = "valid-graph";

    private final Path file;
    private final String fingerprint;
    private final String key;
    private Boolean known;

    ValidGraphs(ScriptCache cache, List<MigrationScript> scripts) {
        this.file = cache.enabled() ? cache.directory().resolve("graph.bin") : null;
        this.fingerprint = cache.enabled() ? cache.fingerprint() : null;
        this.key = file == null ? null : key(scripts);
    }

    /** {@return whether these scripts' graph was validated before and found without problems} */
    boolean known() {
        if (known == null) {
            known = file != null && CacheFile.read(file, KIND, key, fingerprint) != null;
        }
        return known;
    }

    /** Notes that these scripts' graph is valid. */
    void remember() {
        if (file != null && !known()) {
            CacheFile.write(file, KIND, key, fingerprint, out -> out.writeInt(0));
            known = true;
        }
    }

    private static String key(List<MigrationScript> scripts) {
        CacheKey key = new CacheKey();
        for (MigrationScript script : scripts) {
            key.add(script.fileName()).add(script.checksum());
        }
        return key.hex();
    }
}
