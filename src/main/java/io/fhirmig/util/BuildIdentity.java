package io.fhirmig.util;

import io.fhirmig.api.BuildInfo;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which build of fhirmig this process runs: its version, where its classes come from (the jar, or
 * a classes folder) and when that was last written. A rebuild changes the time, an upgrade the
 * version or the path: a background server of another build is not taken for this one's.
 */
public final class BuildIdentity {

    private static volatile String current;

    private BuildIdentity() {
    }

    /** {@return this process's build, e.g. {@code 0.1.0 /home/me/fhirmig/target/fhirmig.jar 1767000000000}} */
    public static String current() {
        String identity = current;
        if (identity == null) {
            identity = BuildInfo.VERSION + " " + describe(codeSource());
            current = identity;
        }
        return identity;
    }

    private static Path codeSource() {
        try {
            return Path.of(BuildInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(Path source) {
        if (source == null) {
            return "unknown";
        }
        // A classes folder's own time changes only when files are added; the compiled class changes with a build.
        Path stamped = Files.isDirectory(source) ? source.resolve("io/fhirmig/api/BuildInfo.class") : source;
        try {
            return source.toAbsolutePath() + " " + Files.getLastModifiedTime(stamped).toMillis();
        } catch (java.io.IOException e) {
            return source.toAbsolutePath().toString();
        }
    }
}
