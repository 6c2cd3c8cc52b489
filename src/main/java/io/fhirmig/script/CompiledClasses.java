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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The classes Groovy compiled from scripts, in the cache's {@code classes/} folder, one file for
 * each compilation that wrote it: a script compiled at its step has a file of its own, named by its
 * key; a batch of scripts compiled ahead ({@link AheadCompiler}) shares one file, named
 * {@code batch-} and the hash of its keys, since creating a file costs the file system more than
 * writing the few kilobytes in it; a later run reads every batch file at its first look-up. A
 * script's key is the hash of its file name and checksum: the file name is part of it because Groovy
 * names the class and its stack frames after it, so a renamed script must not run under its old name.
 *
 * <p>On disk (inside {@link CacheFile}'s frame, whose key is the file's name without its suffix):
 * the number of scripts, then for each its key, its own class's name, the number of classes and
 * each class's name, length and bytes.
 */
final class CompiledClasses {

    private static final String KIND = "classes";
    private static final String SUFFIX = ".classes";
    private static final String BATCH = "batch-";

    private final Path directory;
    private final String fingerprint;
    /** The scripts of every batch file, read at the first look-up. */
    private volatile Map<String, Compiled> batches;

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

    /** {@return whether classes are kept under this key (a file of its own may still be damaged or foreign)} */
    boolean contains(String key) {
        return directory != null && (batches().containsKey(key) || Files.exists(directory.resolve(key + SUFFIX)));
    }

    /** {@return the cached classes, or {@code null} when absent, damaged or foreign} */
    Compiled read(String key) {
        if (directory == null) {
            return null;
        }
        Compiled batched = batches().get(key);
        return batched != null ? batched : readFile(key).get(key);
    }

    /** Keeps one script's classes in a file of its own. */
    void write(String key, Compiled compiled) {
        writeFile(key, Map.of(key, compiled));
    }

    /**
     * Keeps the classes of scripts compiled together in one file.
     *
     * @param byKey each script's classes by its key, in the order they were compiled
     */
    void writeBatch(Map<String, Compiled> byKey) {
        if (directory == null || byKey.isEmpty()) {
            return;
        }
        if (byKey.size() == 1) {
            Map.Entry<String, Compiled> only = byKey.entrySet().iterator().next();
            write(only.getKey(), only.getValue());
            return;
        }
        MessageDigest digest = Checksums.sha256();
        byKey.keySet().forEach(key -> digest.update(key.getBytes(StandardCharsets.UTF_8)));
        writeFile(BATCH + HexFormat.of().formatHex(digest.digest()), byKey);
        Map<String, Compiled> loaded = batches;
        if (loaded != null) {
            loaded.putAll(byKey);
        }
    }

    /** Deletes the files none of whose scripts exist any more with this name and text. */
    void keepOnly(Collection<MigrationScript> scripts) {
        if (directory == null || !Files.isDirectory(directory) || CacheTrust.distrusted(directory.resolve("x" + SUFFIX))) {
            return;
        }
        Set<String> keep = scripts.stream()
                .map(script -> key(script.fileName(), script.checksum()))
                .collect(Collectors.toSet());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String key = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : null;
                boolean current = key != null && (keep.contains(key)
                        || key.startsWith(BATCH) && readFile(key).keySet().stream().anyMatch(keep::contains));
                if (!current) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            log().debug("cannot prune compiled classes in {}", directory, e);
        }
    }

    private Map<String, Compiled> batches() {
        Map<String, Compiled> loaded = batches;
        if (loaded == null) {
            synchronized (this) {
                loaded = batches;
                if (loaded == null) {
                    loaded = new ConcurrentHashMap<>();
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, BATCH + "*" + SUFFIX)) {
                        for (Path file : files) {
                            String name = file.getFileName().toString();
                            loaded.putAll(readFile(name.substring(0, name.length() - SUFFIX.length())));
                        }
                    } catch (IOException e) {
                        // No folder yet, or one that cannot be listed: nothing was compiled ahead.
                    }
                    batches = loaded;
                }
            }
        }
        return loaded;
    }

    /** {@return the scripts in a file by key; empty when it is absent, damaged or foreign} */
    private Map<String, Compiled> readFile(String name) {
        Path file = directory.resolve(name + SUFFIX);
        DataInputStream in = CacheFile.read(file, KIND, name, fingerprint);
        if (in == null) {
            return Map.of();
        }
        try {
            Map<String, Compiled> scripts = new LinkedHashMap<>();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                String mainClass = in.readUTF();
                int classCount = in.readInt();
                Map<String, byte[]> classes = new LinkedHashMap<>();
                for (int j = 0; j < classCount; j++) {
                    String className = in.readUTF();
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    classes.put(className, bytes);
                }
                if (classes.containsKey(mainClass)) {
                    scripts.put(key, new Compiled(mainClass, classes));
                }
            }
            return scripts;
        } catch (IOException | RuntimeException e) {
            log().debug("compiled classes {} are damaged; compiling again", file, e);
            return Map.of();
        }
    }

    private void writeFile(String name, Map<String, Compiled> byKey) {
        if (directory == null) {
            return;
        }
        CacheFile.write(directory.resolve(name + SUFFIX), KIND, name, fingerprint, out -> {
            out.writeInt(byKey.size());
            for (Map.Entry<String, Compiled> script : byKey.entrySet()) {
                out.writeUTF(script.getKey());
                out.writeUTF(script.getValue().mainClass());
                out.writeInt(script.getValue().classes().size());
                for (Map.Entry<String, byte[]> entry : script.getValue().classes().entrySet()) {
                    out.writeUTF(entry.getKey());
                    out.writeInt(entry.getValue().length);
                    out.write(entry.getValue());
                }
            }
        });
    }

    /**
     * Looked up only when there is something to say: the cache is read on a thread of its own while
     * logging is still being configured, and must not wait for it (or do it).
     */
    private static Logger log() {
        return LogManager.getLogger(CompiledClasses.class);
    }
}
