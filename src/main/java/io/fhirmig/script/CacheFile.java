package io.fhirmig.script;

import io.fhirmig.util.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One file of the script cache, trusted only when it is whole and was written for this build: it
 * starts with a magic word, its kind, its key and the {@linkplain ScriptCache#fingerprint() build
 * fingerprint}, and ends with a CRC-32 of everything before it. Anything else (a truncated file,
 * flipped bits, a file of another build or another tool, a file moved to another key) reads as
 * absent, and the caller rebuilds it.
 *
 * <p>Files are written to a temporary file and moved into place, so concurrent runs never read a
 * half-written file. A cache that cannot be read or written costs speed, never a command: failures
 * are logged at DEBUG only.
 */
public final class CacheFile {

    private static final byte[] MAGIC = "FHIRMIG-CACHE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int CRC_BYTES = Long.BYTES;

    private CacheFile() {}

    /**
     * Reads a cache file's payload.
     *
     * @param file the file
     * @param kind what the file holds, e.g. {@code headers}
     * @param key what it is the cache of (a hash, a name)
     * @param fingerprint the build it must have been written by
     * @return the payload, or {@code null} if the file is absent, damaged or foreign
     */
    public static DataInputStream read(Path file, String kind, String key, String fingerprint) {
        if (!CacheTrust.file(file)) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            log().debug("cache file {} cannot be read; ignoring it", file, e);
            return null;
        }
        if (bytes.length < MAGIC.length + CRC_BYTES
                || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            log().debug("cache file {} is not a fhirmig cache file; ignoring it", file);
            return null;
        }
        int end = bytes.length - CRC_BYTES;
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, end);
        if (crc.getValue() != ByteBuffer.wrap(bytes, end, CRC_BYTES).getLong()) {
            log().debug("cache file {} is damaged (checksum mismatch); ignoring it", file);
            return null;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, end - MAGIC.length));
        try {
            if (!kind.equals(in.readUTF()) || !key.equals(in.readUTF()) || !fingerprint.equals(in.readUTF())) {
                log().debug("cache file {} was written for another key or build; ignoring it", file);
                return null;
            }
        } catch (IOException e) {
            log().debug("cache file {} is damaged; ignoring it", file, e);
            return null;
        }
        return in;
    }

    /** What writes a cache file's payload. */
    public interface Payload {
        /**
         * @param out where the payload goes
         * @throws IOException when it cannot be written
         */
        void writeTo(DataOutputStream out) throws IOException;
    }

    /**
     * Writes a cache file atomically; a failure is logged and otherwise ignored.
     *
     * @param file the file
     * @param kind what the file holds
     * @param key what it is the cache of
     * @param fingerprint the build writing it
     * @param payload writes the content
     */
    public static void write(Path file, String kind, String key, String fingerprint, Payload payload) {
        if (CacheTrust.distrusted(file) || !CacheTrust.file(file)) {
            // A cache someone else could write is given up: nothing is written there.
            return;
        }
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            out.write(MAGIC);
            out.writeUTF(kind);
            out.writeUTF(key);
            out.writeUTF(fingerprint);
            payload.writeTo(out);
            out.flush();
            CRC32 crc = new CRC32();
            byte[] body = buffer.toByteArray();
            crc.update(body);
            out.writeLong(crc.getValue());
            out.flush();
            // Folders 0700; a temporary file is 0600, and keeps that when moved into place.
            PrivateFiles.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                Files.write(temporary, buffer.toByteArray());
                move(temporary, file);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | RuntimeException e) {
            log().debug("cache file {} cannot be written; going on without it", file, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Looked up only when there is something to say: the cache is read on a thread of its own while
     * logging is still being configured, and must not wait for it (or do it).
     */
    private static Logger log() {
        return LogManager.getLogger(CacheFile.class);
    }
}
