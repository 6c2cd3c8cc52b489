package io.fhirmig.script;

import io.fhirmig.util.PrivateFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;

/**
 * Whether the script cache may be used. Its compiled classes run as code, with the user's rights:
 * the script's checksum is checked, but the bytes stored under it could be anyone's who can write
 * there. So a cache folder or file is trusted only when the user owns it and neither group nor others
 * can write it; otherwise fhirmig warns once, naming the path, and runs without the cache, writing
 * nothing there (the whole cache folder is given up for the run).
 *
 * <p>On a file system without POSIX permissions everything is trusted, as before.
 */
final class CacheTrust {

    /** Cache folders given up for this process's runs. */
    private static final Set<Path> DISTRUSTED = ConcurrentHashMap.newKeySet();
    /** Paths already warned about: each once. */
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private CacheTrust() {}

    /**
     * Checks a cache folder (and its {@code classes} folder) before the run uses it; a folder that does
     * not exist yet is trusted (fhirmig makes it 0700). One of the user's that others cannot write, but
     * that an older fhirmig made 0755, is made 0700.
     *
     * @return whether the cache may be read and written
     */
    static boolean folder(Path root) {
        if (!PrivateFiles.posix()) {
            return true;
        }
        if (DISTRUSTED.contains(root)) {
            return false;
        }
        for (Path dir : new Path[] {root, root.resolve("classes")}) {
            String problem = problem(dir, true);
            if (problem != null) {
                distrust(root, dir, problem);
                return false;
            }
        }
        // Every file, before the run reads or writes any: a planted file found only when its script
        // compiles would come after the scan had written its stamps.
        for (Path dir : new Path[] {root, root.resolve("classes")}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && file.getFileName().toString().equals("classes")) {
                        continue;
                    }
                    String problem = problem(file, false);
                    if (problem != null) {
                        distrust(root, file, problem);
                        return false;
                    }
                }
            } catch (IOException e) {
                distrust(root, dir, "cannot be listed (" + e.getMessage() + ")");
                return false;
            }
        }
        PrivateFiles.restrict(root);
        PrivateFiles.restrict(root.resolve("classes"));
        return true;
    }

    /**
     * Checks a cache file before it is read, and the cache's folder before anything is written.
     *
     * @param file a file of the cache
     * @return whether it may be read (or written); false once its cache was given up
     */
    static boolean file(Path file) {
        if (!PrivateFiles.posix()) {
            return true;
        }
        Path root = rootOf(file);
        if (DISTRUSTED.contains(root)) {
            return false;
        }
        String problem = problem(file, false);
        if (problem != null) {
            distrust(root, file, problem);
            return false;
        }
        return true;
    }

    /** Whether a cache has been given up (a file of it found untrustworthy): then nothing is written there. */
    static boolean distrusted(Path file) {
        return DISTRUSTED.contains(rootOf(file));
    }

    /** The cache folder of a cache file: {@code classes/KEY.classes} is one level further down. */
    private static Path rootOf(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return "classes".equals(String.valueOf(parent.getFileName())) ? parent.getParent() : parent;
    }

    /** What makes a folder or file untrustworthy, or null when it is trusted (or absent). */
    private static String problem(Path path, boolean folder) {
        try {
            // A folder may be reached through a link (the user's choice); a file is taken as it is.
            LinkOption[] options = folder ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
            if (!Files.exists(path, options)) {
                return null;
            }
            if (!folder && Files.isSymbolicLink(path)) {
                return "is a symbolic link";
            }
            if (!PrivateFiles.ownedByUser(path, options)) {
                return "is owned by " + Files.getOwner(path, options).getName() + ", not by " + PrivateFiles.currentUser();
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, options);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                return "can be written by " + (permissions.contains(PosixFilePermission.OTHERS_WRITE) ? "other users" : "its group");
            }
            return null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot be checked (" + e.getMessage() + ")";
        }
    }

    private static void distrust(Path root, Path path, String problem) {
        DISTRUSTED.add(root);
        if (WARNED.add(path.toAbsolutePath().normalize())) {
            LogManager.getLogger(CacheTrust.class).warn("not using the script cache: {} {}; compiled classes there"
                    + " would run as your code, so fhirmig runs without the cache and writes nothing there. Make it"
                    + " yours alone (chown, chmod go-w), or point FHIRMIG_CACHE elsewhere", path, problem);
        }
    }
}
