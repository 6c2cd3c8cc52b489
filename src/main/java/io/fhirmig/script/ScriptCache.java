package io.fhirmig.script;

import io.fhirmig.api.BuildInfo;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where fhirmig keeps what loading scripts costs to compute, as Python keeps {@code __pycache__}:
 * each script's header (revision, parents, description) under the checksum of its text, each
 * compiled script's classes under the hash of its file name and checksum, and each file's checksum
 * under its size, modification time and identity ({@link FileStamps}). A changed script has another
 * key, so it is never served stale; renamed, added and deleted scripts are seen because the folder
 * is listed and every file asked what it is on every run. What is cached is only ever derived from
 * the text.
 *
 * <p>Everything is tied to one build of fhirmig (its version and build time, the Groovy version and
 * the default imports): a cache written by another build is ignored and rewritten.
 */
public final class ScriptCache {

    private static final ScriptCache NONE = new ScriptCache(null);
    private static final int FORMAT = 2;

    private final Path directory;
    private volatile String fingerprint;
    /** Whether the folder may be used, checked once (see {@link #enabled()}). */
    private volatile Boolean trusted;

    private ScriptCache(Path directory) {
        this.directory = directory;
    }

    /**
     * A cache in the given folder, created when first written.
     *
     * @param directory the cache folder, e.g. {@code .fhirmig/cache}
     * @return the cache
     */
    public static ScriptCache at(Path directory) {
        return new ScriptCache(directory.toAbsolutePath().normalize());
    }

    /** {@return no cache: everything is computed every time} */
    public static ScriptCache none() {
        return NONE;
    }

    /**
     * {@return whether anything is cached at all} A cache folder that someone else owns or may write
     * is not used (see {@link CacheTrust}): a warning names it, once.
     */
    public boolean enabled() {
        if (directory == null) {
            return false;
        }
        Boolean value = trusted;
        if (value == null) {
            value = CacheTrust.folder(directory);
            trusted = value;
        }
        return value;
    }

    /** {@return the cache folder, or {@code null} for {@link #none()}} */
    public Path directory() {
        return directory;
    }

    /** The stamps of the files as this scan, beginning now, finds them. */
    FileStamps stamps() {
        // The file system's clock, not a monotonic one: stamps are compared with modification times.
        long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        return enabled() ? FileStamps.load(directory.resolve("stamps.bin"), fingerprint(), now) : FileStamps.disabled();
    }

    HeaderCache headers() {
        return enabled() ? HeaderCache.load(directory.resolve("headers.bin"), fingerprint()) : HeaderCache.disabled();
    }

    CompiledClasses classes() {
        return new CompiledClasses(enabled() ? directory.resolve("classes") : null, fingerprint());
    }

    /** {@return the build this cache belongs to; a cache written by any other is ignored} */
    public String fingerprint() {
        String value = fingerprint;
        if (value == null) {
            value = "format " + FORMAT + "; fhirmig " + BuildInfo.VERSION + " built " + buildStamp()
                    + "; groovy " + groovyVersion() + "; java " + Runtime.version().feature() + "; imports "
                    + DefaultImports.fingerprint();
            fingerprint = value;
        }
        return value;
    }

    /**
     * When this build's code was written: the jar's modification time, or, for a folder of classes
     * (the tests, an IDE), that of this class's file, which every compilation writes anew. A stat, not
     * a resource looked up on the class path.
     */
    private static String buildStamp() {
        try {
            Path code = Path.of(ScriptCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(code)) {
                code = code.resolve(ScriptCache.class.getName().replace('.', '/') + ".class");
            }
            // In nanoseconds: FileTime.toString would start java.time's calendar for a date nobody reads.
            return Long.toString(Files.getLastModifiedTime(code).to(TimeUnit.NANOSECONDS));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // An unknown build shares its cache with no other unknown build worth trusting less.
            return "unknown";
        }
    }

    private static String groovyVersion() {
        // The version in Groovy's manifest, which the JVM read when it loaded Groovy's first class (from
        // the start-up archive, without opening the jar). ReleaseInfo reads a properties file found by a
        // search of the class path that opens Groovy's jar; GroovySystem.getVersion() would start the
        // Groovy runtime. ReleaseInfo stays for a Groovy repackaged without its manifest.
        String version = groovy.lang.GroovyObject.class.getPackage().getImplementationVersion();
        return version != null ? version : org.codehaus.groovy.util.ReleaseInfo.getVersion();
    }
}
