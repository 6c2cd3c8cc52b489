package io.fhirmig.script;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One cache file of entries by key, as one scan of the scripts uses it: the entries the file held,
 * and the entries this scan used or added. The file is written again, with only the latter, when
 * they differ, so that it holds the current scripts only. Safe for the parallel scan.
 *
 * <p>On disk (inside {@link CacheFile}'s frame): the number of entries, then each key
 * ({@code writeUTF}) followed by its value as the {@link Codec} writes it.
 *
 * @param <V> the value of an entry
 */
final class CacheTable<V> {

    /** How a value is read and written. */
    interface Codec<V> {
        V read(DataInputStream in) throws IOException;

        void write(DataOutputStream out, V value) throws IOException;
    }

    private final Path file;
    private final String kind;
    private final String fingerprint;
    private final Codec<V> codec;
    private final Map<String, Stored<V>> stored;
    private final Map<String, V> added = new ConcurrentHashMap<>();
    private volatile boolean changed;

    /**
     * An entry the file held, and whether this scan used it. A flag of its own rather than a shared
     * map of the used entries: every script's entry is used on every scan, by the scan's threads at
     * once, and they then wrote to one map thousands of times.
     */
    private static final class Stored<V> {
        final V value;
        // Set by the scan's threads, read by save() after the scan joined them.
        boolean used;

        Stored(V value) {
            this.value = value;
        }
    }

    private CacheTable(Path file, String kind, String fingerprint, Codec<V> codec, Map<String, Stored<V>> stored) {
        this.file = file;
        this.kind = kind;
        this.fingerprint = fingerprint;
        this.codec = codec;
        this.stored = stored;
    }

    /** {@return a table that is never written, and holds nothing} */
    static <V> CacheTable<V> disabled() {
        return new CacheTable<>(null, null, null, null, Map.of());
    }

    /**
     * Reads a table; a file that is absent, damaged or foreign reads as empty.
     *
     * @param file the cache file
     * @param kind what the file holds, e.g. {@code headers}
     * @param fingerprint the build it must have been written by
     * @param codec reads and writes a value
     */
    static <V> CacheTable<V> load(Path file, String kind, String fingerprint, Codec<V> codec) {
        DataInputStream in = CacheFile.read(file, kind, kind, fingerprint);
        Map<String, Stored<V>> stored = new HashMap<>();
        if (in != null) {
            try {
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    String key = in.readUTF();
                    stored.put(key, new Stored<>(codec.read(in)));
                }
            } catch (IOException | RuntimeException e) {
                log().debug("cache file {} is damaged; rebuilding it", file, e);
                stored.clear();
            }
        }
        return new CacheTable<>(file, kind, fingerprint, codec, stored);
    }

    /** {@return whether anything this table is given is ever written} */
    boolean enabled() {
        return file != null;
    }

    /** {@return the entry the file held for this key, or {@code null}} Not yet counted as used. */
    V stored(String key) {
        Stored<V> entry = stored.get(key);
        return entry == null ? null : entry.value;
    }

    /** Counts the entry the file held for this key as used by this scan, so that it is kept. */
    void keep(String key) {
        Stored<V> entry = stored.get(key);
        if (entry != null) {
            entry.used = true;
        }
    }

    /** Adds or replaces an entry; the file is written again. */
    void put(String key, V value) {
        added.put(key, value);
        changed = true;
    }

    /** Notes that the file must be written again, though no entry was added (one was left out). */
    void changed() {
        changed = true;
    }

    /**
     * Writes the entries this scan used or added, if they differ from the file's.
     *
     * @return whether the file was written again
     */
    boolean save() {
        if (file == null) {
            return false;
        }
        // Counted before anything is copied: on most scans every entry was used and none added.
        int used = 0;
        for (Stored<V> entry : stored.values()) {
            if (entry.used) {
                used++;
            }
        }
        if (!changed && used == stored.size()) {
            return false;
        }
        List<Map.Entry<String, V>> entries = new ArrayList<>(added.entrySet());
        for (Map.Entry<String, Stored<V>> entry : stored.entrySet()) {
            if (entry.getValue().used && !added.containsKey(entry.getKey())) {
                entries.add(Map.entry(entry.getKey(), entry.getValue().value));
            }
        }
        CacheFile.write(file, kind, kind, fingerprint, out -> {
            out.writeInt(entries.size());
            for (Map.Entry<String, V> entry : entries) {
                out.writeUTF(entry.getKey());
                codec.write(out, entry.getValue());
            }
        });
        return true;
    }

    /**
     * Looked up only when there is something to say: the cache is read on a thread of its own while
     * logging is still being configured, and must not wait for it (or do it).
     */
    private static Logger log() {
        return LogManager.getLogger(CacheTable.class);
    }
}
