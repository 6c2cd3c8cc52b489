package io.fhirmig.script;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The headers of scripts read before, by the checksum of their text: a script whose text is in the
 * cache is not parsed again. One file for the whole folder, rewritten when a script was added,
 * changed or deleted, so that it holds the current scripts only. Safe for the parallel scan.
 */
final class HeaderCache {

    private static final String KIND = "headers";
    /** Longer descriptions are read from the script each time rather than bloat the cache. */
    private static final int MAX_CACHED_TEXT = 8_000;
    /** A header on disk: revision, parents, description if any, whether transactional. */
    private static final CacheTable.Codec<ScriptHeader> CODEC = new CacheTable.Codec<>() {
        @Override
        public ScriptHeader read(DataInputStream in) throws IOException {
            String revision = in.readUTF();
            int parents = in.readInt();
            List<String> downRevisions = new ArrayList<>(parents);
            for (int p = 0; p < parents; p++) {
                downRevisions.add(in.readUTF());
            }
            String description = in.readBoolean() ? in.readUTF() : null;
            boolean transactional = in.readBoolean();
            return new ScriptHeader(revision, downRevisions, description, transactional);
        }

        @Override
        public void write(DataOutputStream out, ScriptHeader header) throws IOException {
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
    };

    private final CacheTable<ScriptHeader> table;

    private HeaderCache(CacheTable<ScriptHeader> table) {
        this.table = table;
    }

    static HeaderCache disabled() {
        return new HeaderCache(CacheTable.disabled());
    }

    static HeaderCache load(Path file, String fingerprint) {
        return new HeaderCache(CacheTable.load(file, KIND, fingerprint, CODEC));
    }

    /** {@return the header cached for this checksum, or {@code null}} */
    ScriptHeader get(String checksum) {
        ScriptHeader header = table.stored(checksum);
        if (header != null) {
            table.keep(checksum);
        }
        return header;
    }

    /** Remembers the header just read from a script with this checksum. */
    void put(String checksum, ScriptHeader header) {
        if (table.enabled() && !tooLong(header)) {
            table.put(checksum, header);
        }
    }

    /**
     * Writes the headers of this scan, if they differ from the file's.
     *
     * @return whether the scripts changed since the cache was written (so it was written again)
     */
    boolean save() {
        return table.save();
    }

    private static boolean tooLong(ScriptHeader header) {
        int length = header.revision().length()
                + (header.description() == null ? 0 : header.description().length());
        for (String parent : header.downRevisions()) {
            length += parent.length();
        }
        return length > MAX_CACHED_TEXT;
    }
}
