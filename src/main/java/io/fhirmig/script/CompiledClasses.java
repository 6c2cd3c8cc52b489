package io.fhirmig.script;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The classes Groovy compiled from each script, one file per script in the cache's
 * {@code classes/} folder, named by the hash of the script's file name and checksum: the file name is
 * part of the key because Groovy names the class and its stack frames after it, so a renamed
 * script must not run under its old name.
 */
final class CompiledClasses {

    private static final String KIND = "classes";
    private static final String SUFFIX = ".classes";

    private final Path directory;
    private final String fingerprint;

    CompiledClasses(Path directory, String fingerprint) {
        this.directory = directory;
        this.fingerprint = fingerprint;
    }

    boolean enabled() {
        return directory != null;
    }

    /**
     * The classes of one compiled script.
     *
     * @param mainClass the name of the script's own class
     * @param classes every class's bytes by name, the script's own class first
     */
    record Compiled(String mainClass, Map<String, byte[]> classes) {}

    /**
     * {@return the key of a script's classes: the hash of its file name and the checksum of its text}
     * The checksum rather than the text, so that pruning needs no script's text.
     */
    static String key(String fileName, String checksum) {
        MessageDigest digest = Checksums.sha256();
        digest.update(fileName.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(checksum.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@return whether a file of classes is kept under this key (it may still be damaged or foreign)} */
    boolean contains(String key) {
        return directory != null && Files.exists(directory.resolve(key + SUFFIX));
    }

    /** {@return the cached classes, or {@code null} when absent, damaged or foreign} */
    Compiled read(String key) {
        if (directory == null) {
            return null;
        }
        Path file = directory.resolve(key + SUFFIX);
        DataInputStream in = CacheFile.read(file, KIND, key, fingerprint);
        if (in == null) {
            return null;
        }
        try {
            String mainClass = in.readUTF();
            int count = in.readInt();
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                classes.put(name, bytes);
            }
            return classes.containsKey(mainClass) ? new Compiled(mainClass, classes) : null;
        } catch (IOException | RuntimeException e) {
            log().debug("compiled classes {} are damaged; compiling again", file, e);
            return null;
        }
    }

    void write(String key, Compiled compiled) {
        if (directory == null) {
            return;
        }
        CacheFile.write(directory.resolve(key + SUFFIX), KIND, key, fingerprint, out -> {
            out.writeUTF(compiled.mainClass());
            out.writeInt(compiled.classes().size());
            for (Map.Entry<String, byte[]> entry : compiled.classes().entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeInt(entry.getValue().length);
                out.write(entry.getValue());
            }
        });
    }

    /** Deletes the compiled classes of scripts that no longer exist with this name and text. */
    void keepOnly(Collection<MigrationScript> scripts) {
        if (directory == null || !Files.isDirectory(directory) || CacheTrust.distrusted(directory.resolve("x" + SUFFIX))) {
            return;
        }
        Set<String> keep = scripts.stream()
                .map(script -> key(script.fileName(), script.checksum()) + SUFFIX)
                .collect(Collectors.toSet());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (!keep.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            log().debug("cannot prune compiled classes in {}", directory, e);
        }
    }

    /**
     * Looked up only when there is something to say: the cache is read on a thread of its own while
     * logging is still being configured, and must not wait for it (or do it).
     */
    private static Logger log() {
        return LogManager.getLogger(CompiledClasses.class);
    }
}
