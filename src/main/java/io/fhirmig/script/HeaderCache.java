package io.fhirmig.script;

import java.io.DataInputStream;
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
 * The headers of scripts read before, by the checksum of their text: a script whose text is in the
 * cache is not parsed again. One file for the whole folder, rewritten when a script was added,
 * changed or deleted, so that it holds the current scripts only. Safe for the parallel scan.
 */
final class HeaderCache {

    private static final String KIND = "headers";
    /** Longer descriptions are read from the script each time rather than bloat the cache. */
    private static final int MAX_CACHED_TEXT = 8_000;

    private final Path file;
    private final String fingerprint;
    private final Map<String, ScriptHeader> stored;
    private final Map<String, ScriptHeader> current = new ConcurrentHashMap<>();
    private volatile boolean changed;

    private HeaderCache(Path file, String fingerprint, Map<String, ScriptHeader> stored) {
        this.file = file;
        this.fingerprint = fingerprint;
        this.stored = stored;
    }

    static HeaderCache disabled() {
        return new HeaderCache(null, null, Map.of());
    }

    static HeaderCache load(Path file, String fingerprint) {
        DataInputStream in = CacheFile.read(file, KIND, KIND, fingerprint);
        Map<String, ScriptHeader> stored = new HashMap<>();
        if (in != null) {
            try {
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    String checksum = in.readUTF();
                    String revision = in.readUTF();
                    int parents = in.readInt();
                    List<String> downRevisions = new ArrayList<>(parents);
                    for (int p = 0; p < parents; p++) {
                        downRevisions.add(in.readUTF());
                    }
                    String description = in.readBoolean() ? in.readUTF() : null;
                    boolean transactional = in.readBoolean();
                    stored.put(checksum, new ScriptHeader(revision, downRevisions, description, transactional));
                }
            } catch (IOException | RuntimeException e) {
                log().debug("header cache {} is damaged; rebuilding it", file, e);
                stored.clear();
            }
        }
        return new HeaderCache(file, fingerprint, stored);
    }

    /** {@return the header cached for this checksum, or {@code null}} */
    ScriptHeader get(String checksum) {
        ScriptHeader header = stored.get(checksum);
        if (header != null) {
            current.put(checksum, header);
        }
        return header;
    }

    /** Remembers the header just read from a script with this checksum. */
    void put(String checksum, ScriptHeader header) {
        if (file == null || tooLong(header)) {
            return;
        }
        current.put(checksum, header);
        changed = true;
    }

    /**
     * Writes the headers of this scan, if they differ from the file's.
     *
     * @return whether the scripts changed since the cache was written (so it was written again)
     */
    boolean save() {
        if (file == null || !changed && current.size() == stored.size()) {
            return false;
        }
        List<Map.Entry<String, ScriptHeader>> entries = new ArrayList<>(current.entrySet());
        CacheFile.write(file, KIND, KIND, fingerprint, out -> {
            out.writeInt(entries.size());
            for (Map.Entry<String, ScriptHeader> entry : entries) {
                ScriptHeader header = entry.getValue();
                out.writeUTF(entry.getKey());
                out.writeUTF(header.revision());
                out.writeInt(header.downRevisions().size());
                for (String parent : header.downRevisions()) {
                    out.writeUTF(parent);
                }
                out.writeBoolean(header.description() != null);
                if (header.description() != null) {
                    out.writeUTF(header.description());
                }
                out.writeBoolean(header.transactional());
            }
        });
        return true;
    }

    private static boolean tooLong(ScriptHeader header) {
        int length = header.revision().length()
                + (header.description() == null ? 0 : header.description().length());
        for (String parent : header.downRevisions()) {
            length += parent.length();
        }
        return length > MAX_CACHED_TEXT;
    }

    /**
     * Looked up only when there is something to say: the cache is read on a thread of its own while
     * logging is still being configured, and must not wait for it (or do it).
     */
    private static Logger log() {
        return LogManager.getLogger(HeaderCache.class);
    }
}
