package io.fhirmig.script;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The checksum of each script file as it was when last read, under what the file system says of the
 * file (size, modification time, file key): a file that still says the same is not read again, the
 * way make, rsync and Git's index decide that a file is unchanged. Reading and hashing thousands of
 * scripts was most of a warm command's loading; a stat is a fraction of a read.
 *
 * <p>A stamp is kept only for a file last modified well before the scan that read it began
 * ({@link #SETTLED}). An edit after that scan began gives the file a later modification time, so it
 * is always seen; an edit within the same tick of the file system's clock as the one before it, which
 * a same-size rewrite could otherwise hide, cannot come after a scan that only trusts older files.
 * Files modified in the last moments before a scan are read again on the next one (as Git treats
 * "racily clean" entries).
 *
 * <p>What a stamp gives is only a checksum; the header and compiled classes are still found by it.
 * The script's text, when its step runs, is read then and checked against it.
 */
final class FileStamps {

    private static final String KIND = "stamps";
    /**
     * How long before a scan a file must have been modified for its stamp to be trusted: far more
     * than any file system's timestamp tick (two seconds on FAT) and the usual clock drift between a
     * network file server and this machine.
     */
    static final long SETTLED = TimeUnit.SECONDS.toNanos(3);

    /** A stamp on disk: size, modification time, file key, checksum. */
    private static final CacheTable.Codec<Stamp> CODEC = new CacheTable.Codec<>() {
        @Override
        public Stamp read(DataInputStream in) throws IOException {
            return new Stamp(in.readLong(), in.readLong(), in.readUTF(), in.readUTF());
        }

        @Override
        public void write(DataOutputStream out, Stamp stamp) throws IOException {
            out.writeLong(stamp.size());
            out.writeLong(stamp.modified());
            out.writeUTF(stamp.fileKey());
            out.writeUTF(stamp.checksum());
        }
    };

    private final CacheTable<Stamp> table;
    private final long trustedBefore;

    /**
     * What the file system said of a file when it was read, and the checksum of what was read.
     *
     * @param size the file's size in bytes
     * @param modified the file's modification time in nanoseconds since the epoch
     * @param fileKey the file system's identity of the file (device and inode on Unix), or "" if none
     * @param checksum {@link Checksums#of(String)} of the file's text
     */
    record Stamp(long size, long modified, String fileKey, String checksum) {

        static Stamp of(BasicFileAttributes attributes, String checksum) {
            return new Stamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    Objects.toString(attributes.fileKey(), ""), checksum);
        }

        boolean describes(BasicFileAttributes attributes) {
            return size == attributes.size() && modified == attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                    && fileKey.equals(Objects.toString(attributes.fileKey(), ""));
        }
    }

    private FileStamps(CacheTable<Stamp> table, long scanStarted) {
        this.table = table;
        this.trustedBefore = scanStarted - SETTLED;
    }

    /** {@return stamps that are never kept: every file is read} */
    static FileStamps disabled() {
        return new FileStamps(CacheTable.disabled(), Long.MIN_VALUE);
    }

    /**
     * Reads the stamps written by an earlier scan.
     *
     * @param file the cache file
     * @param fingerprint the build the file must have been written by
     * @param scanStarted when this scan began, in nanoseconds since the epoch, by this machine's clock
     * @return the stamps; none if the file is absent, damaged or foreign
     */
    static FileStamps load(Path file, String fingerprint, long scanStarted) {
        return new FileStamps(CacheTable.load(file, KIND, fingerprint, CODEC), scanStarted);
    }

    /**
     * The checksum of a file that says what it said when it was read.
     *
     * @param fileName the script's file name
     * @param attributes what the file system says of it now
     * @return the checksum of its text, or {@code null} if the file must be read
     */
    String checksum(String fileName, BasicFileAttributes attributes) {
        Stamp stamp = table.stored(fileName);
        if (stamp == null || !stamp.describes(attributes)) {
            return null;
        }
        table.keep(fileName);
        return stamp.checksum();
    }

    /**
     * Remembers a file just read, unless it was modified too recently for its stamp to be trusted.
     *
     * @param fileName the script's file name
     * @param attributes what the file system said of it before it was read
     * @param checksum the checksum of the text read
     */
    void put(String fileName, BasicFileAttributes attributes, String checksum) {
        if (!table.enabled()) {
            return;
        }
        if (attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) < trustedBefore) {
            table.put(fileName, Stamp.of(attributes, checksum));
        } else {
            table.changed();
        }
    }

    /** Writes the stamps of this scan, if they differ from the file's. */
    void save() {
        table.save();
    }
}
