package io.fhirmig.util;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What fhirmig writes under {@code .fhirmig/} (the embedded server's database, the audit log, the
 * cache) is the user's alone, whatever the umask: folders 0700, files 0600. Internal; on a file
 * system without POSIX permissions (Windows) these are plain file operations.
 */
public final class PrivateFiles {

    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** Whether permissions are POSIX ones here. */
    public static boolean posix() {
        return POSIX;
    }

    /** Creates a folder and its missing parents, each made 0700 (the umask does not apply to them). */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.exists(parent)) {
            createDirectories(parent);
        }
        try {
            if (POSIX) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
                // The umask may have taken bits the attribute asked for; set them as they are meant.
                Files.setPosixFilePermissions(absolute, FOLDER);
            } else {
                Files.createDirectory(absolute);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /** Writes a new file 0600 (replacing one that exists, made 0600 too). */
    public static void writeString(Path file, String text) throws IOException {
        if (POSIX && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(file, attribute(FILE));
        }
        Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
        restrict(file);
    }

    /** Creates an empty file 0600 to write into (e.g. a temporary file before a move). */
    public static Path createFile(Path file) throws IOException {
        Files.createFile(file, POSIX ? new FileAttribute<?>[] {attribute(FILE)} : new FileAttribute<?>[0]);
        restrict(file);
        return file;
    }

    /**
     * Makes a file 0600 or a folder 0700, when the user owns it (a folder of someone else is left as it
     * is); quietly does nothing when it cannot.
     */
    public static void restrict(Path path) {
        if (!POSIX) {
            return;
        }
        try {
            if (Files.isSymbolicLink(path) || !ownedByUser(path)) {
                return;
            }
            Set<PosixFilePermission> wanted = Files.isDirectory(path) ? FOLDER : FILE;
            if (!Files.getPosixFilePermissions(path).equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Best effort: the folder around it is what keeps others out.
        }
    }

    /** {@link #restrict} on a folder and everything in it. */
    public static void restrictTree(Path dir) {
        if (!POSIX || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        restrict(dir);
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.forEach(PrivateFiles::restrict);
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort, as above.
        }
    }

    /** Whether the user running fhirmig owns a file or folder (not following a link). */
    public static boolean ownedByUser(Path path) throws IOException {
        return ownedByUser(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether the user running fhirmig owns a file or folder: by uid where there is one, else by name. */
    public static boolean ownedByUser(Path path, LinkOption... options) throws IOException {
        Long uid = currentUid();
        if (uid != null) {
            try {
                return uid.equals(((Number) Files.getAttribute(path, "unix:uid", options)).longValue());
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // No unix view here: by name.
            }
        }
        UserPrincipal owner = Files.getOwner(path, options);
        return owner.getName().equals(currentUser());
    }

    private static volatile Long uid;

    /** This process's user id, or null where it cannot be known. */
    private static Long currentUid() {
        Long value = uid;
        if (value == null) {
            try {
                value = new com.sun.security.auth.module.UnixSystem().getUid();
            } catch (LinkageError | RuntimeException e) {
                return null;
            }
            uid = value;
        }
        return value;
    }

    /** The name of the user running this process. */
    public static String currentUser() {
        return System.getProperty("user.name");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
