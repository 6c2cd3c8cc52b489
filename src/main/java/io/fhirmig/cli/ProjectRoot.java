package io.fhirmig.cli;

import io.fhirmig.api.FhirmigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project is, as git and Alembic find theirs: the nearest folder, from the working folder
 * upwards, that holds {@code fhirmig.properties}; or the folder of the settings file that {@code
 * --config} or {@code FHIRMIG_CONFIG} names. Relative settings from that file and the environment
 * resolve against it, and {@code .fhirmig/} (the embedded server's data, the cache, the audit log)
 * lives there, so a command run from {@code versions/} works on the same project as one run from
 * the top. With no project found, the working folder is the root and {@link #found} is false.
 *
 * @param root the project's folder, absolute
 * @param file the settings file, absolute; null when there is none
 * @param found whether a settings file was found or named
 * @param shown the root as paths in output start from it: relative to the working folder when the
 *     root is the working folder or above it ({@code ""} or {@code ../..}), else absolute
 */
record ProjectRoot(Path root, Path file, boolean found, Path shown) {

    static final String FILE_NAME = "fhirmig.properties";

    /**
     * Finds the project.
     *
     * @param workingDir the working folder (relative paths are taken from the process's)
     * @param explicit the settings file named by {@code --config} or {@code FHIRMIG_CONFIG}, relative
     *     to the working folder; or null to look upwards
     * @param explicitName where it was named, for an error (e.g. {@code FHIRMIG_CONFIG}); null for {@code --config}
     * @throws FhirmigException ({@code USAGE}) when a named file does not exist
     */
    static ProjectRoot find(Path workingDir, Path explicit, String explicitName) {
        Path here = workingDir.toAbsolutePath().normalize();
        if (explicit != null) {
            Path file = here.resolve(explicit).normalize();
            if (!Files.exists(file)) {
                throw new FhirmigException(FhirmigException.Kind.USAGE, "settings file " + explicit
                        + " does not exist" + (explicitName == null ? "" : " (named by " + explicitName + ")"));
            }
            Path root = file.getParent();
            return new ProjectRoot(root, file, true, shown(workingDir, here, root));
        }
        for (Path folder = here; folder != null; folder = folder.getParent()) {
            Path file = folder.resolve(FILE_NAME);
            if (Files.isRegularFile(file)) {
                return new ProjectRoot(folder, file, true, shown(workingDir, here, folder));
            }
        }
        return new ProjectRoot(here, null, false, workingDir);
    }

    /**
     * The root as output shows it: {@code workingDir} itself when they are the same (so that paths
     * read as before, e.g. {@code versions/0001_a.groovy}), {@code ..} and so on when it is above.
     */
    private static Path shown(Path workingDir, Path here, Path root) {
        if (root.equals(here)) {
            return workingDir;
        }
        return here.startsWith(root) ? workingDir.resolve(here.relativize(root)).normalize() : root;
    }

    /**
     * Points the audit log ({@code fhirmig.audit.file}, read when logging is configured, before the
     * command line is parsed) at the project's {@code .fhirmig/}, unless it is set already. The
     * settings file is looked for as {@link SettingsResolver} does: {@code --config FILE}, {@code
     * FHIRMIG_CONFIG}, else upwards; a named file that is missing is left for the command to report.
     */
    static void pointAuditLog(java.util.Map<String, String> environment, String... args) {
        if (System.getProperty(AUDIT_FILE) != null) {
            return;
        }
        String config = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                config = args[i].substring("--config=".length());
            }
        }
        if (config == null) {
            config = environment.get("FHIRMIG_CONFIG");
        }
        try {
            ProjectRoot project = find(Path.of(""), config == null || config.isBlank() ? null : Path.of(config.trim()),
                    null);
            if (project.found()) {
                System.setProperty(AUDIT_FILE, project.shown().resolve(".fhirmig").resolve("audit.log").toString());
            }
        } catch (RuntimeException e) {
            // A settings file that is missing, or a path that is not one: the command reports it.
        }
    }

    private static final String AUDIT_FILE = "fhirmig.audit.file";
}
