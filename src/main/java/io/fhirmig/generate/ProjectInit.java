package io.fhirmig.generate;

import io.fhirmig.api.FhirmigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a new fhirmig project: a {@code versions/} folder, {@code templates/} with the default
 * migration template, a commented {@code fhirmig.properties}, and a {@code fixtures/} folder (with a
 * one-line README) for {@code fhirmig verify}. It never overwrites anything:
 * if any of them exists, it writes nothing at all.
 */
public final class ProjectInit {

    /** The folder of the migration scripts. */
    public static final String VERSIONS = "versions";

    /** The folder of the migration template. */
    public static final String TEMPLATES = "templates";

    /** The folder of the data {@code fhirmig verify} loads into its scratch server. */
    public static final String FIXTURES = "fixtures";

    /** The one line of the fixtures folder's README. */
    static final String FIXTURES_README = "FHIR JSON files (resources, or Bundles of type transaction, batch or collection)"
            + " that `fhirmig verify` loads into its scratch server before it runs the migrations.\n";

    /** The settings file. */
    public static final String PROPERTIES = "fhirmig.properties";

    /** The git ignore file, which keeps fhirmig's own folder (database, audit log, cache) out of commits. */
    public static final String GITIGNORE = ".gitignore";

    /** The line {@link #init} puts in {@link #GITIGNORE}. */
    static final String IGNORED = ".fhirmig/";

    private static final String PROPERTIES_RESOURCE = "/io/fhirmig/generate/fhirmig.properties";

    private ProjectInit() {}

    /**
     * What {@link #init} created.
     *
     * @param dir the project folder
     * @param created the folders and files created, in the order they were created
     * @param updated files that existed and had a line added ({@code .gitignore})
     */
    public record Result(Path dir, List<Path> created, List<Path> updated) {

        /** Makes the lists unmodifiable. */
        public Result {
            created = List.copyOf(created);
            updated = List.copyOf(updated);
        }

        /** A result that updated nothing. */
        public Result(Path dir, List<Path> created) {
            this(dir, created, List.of());
        }
    }

    /**
     * Creates the project layout in a folder, creating the folder too if it does not exist.
     *
     * @param dir the project folder
     * @return what was created
     * @throws FhirmigException ({@code USAGE}) when the folder is a file, when any of the three
     *     already exists (nothing is written then, and the message names them), or when writing fails
     */
    public static Result init(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw usage(dir + " exists and is not a folder");
        }
        Path versions = dir.resolve(VERSIONS);
        Path templates = dir.resolve(TEMPLATES);
        Path template = templates.resolve(MigrationTemplate.FILE_NAME);
        Path properties = dir.resolve(PROPERTIES);
        List<Path> existing = new ArrayList<>();
        Path fixtures = dir.resolve(FIXTURES);
        for (Path path : List.of(versions, template, properties)) {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                existing.add(path);
            }
        }
        if (Files.exists(templates, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(templates)) {
            existing.add(templates);
        }
        if (!existing.isEmpty()) {
            throw usage("not initialising " + dir + ": " + String.join(", ", existing.stream().map(Path::toString).toList())
                    + (existing.size() == 1 ? " exists" : " exist") + " already; nothing was written"
                    + " (fhirmig init never overwrites)");
        }
        List<Path> created = new ArrayList<>();
        List<Path> updated = new ArrayList<>();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                created.add(dir);
            }
            Files.createDirectory(versions);
            created.add(versions);
            if (!Files.isDirectory(templates)) {
                Files.createDirectory(templates);
                created.add(templates);
            }
            Files.writeString(template, MigrationTemplate.builtInText(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            created.add(template);
            Files.writeString(properties, propertiesText(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            created.add(properties);
            // A fixtures folder of the user's own is data, not a reason to refuse: it is kept as it is.
            if (!Files.exists(fixtures, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(fixtures);
                created.add(fixtures);
                Files.writeString(fixtures.resolve("README.md"), FIXTURES_README, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                created.add(fixtures.resolve("README.md"));
            }
            switch (ignoreFhirmigFolder(dir.resolve(GITIGNORE))) {
                case "created" -> created.add(dir.resolve(GITIGNORE));
                case "updated" -> updated.add(dir.resolve(GITIGNORE));
                default -> { }
            }
        } catch (FileAlreadyExistsException e) {
            throw usage(e.getFile() + " appeared while initialising " + dir + "; created so far: " + created);
        } catch (IOException e) {
            throw usage("cannot initialise " + dir + ": " + e + "; created so far: " + created);
        }
        return new Result(dir, created, updated);
    }

    /**
     * Writes a {@code .gitignore} with {@code .fhirmig/}, or adds the line to one that lacks it: the
     * embedded server's database and the audit log hold the server's data and must not be committed.
     *
     * @return "created", "updated" (the line added) or "present" (the line was there)
     */
    private static String ignoreFhirmigFolder(Path gitignore) throws IOException {
        if (!Files.exists(gitignore, LinkOption.NOFOLLOW_LINKS)) {
            Files.writeString(gitignore, "# fhirmig's own folder: the embedded server's data, the audit log, the cache\n"
                    + IGNORED + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return "created";
        }
        String text = Files.readString(gitignore, StandardCharsets.UTF_8);
        boolean present = text.lines().map(String::trim)
                .anyMatch(line -> line.equals(".fhirmig") || line.equals(".fhirmig/") || line.equals("/.fhirmig")
                        || line.equals("/.fhirmig/"));
        if (!present) {
            Files.writeString(gitignore, (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + IGNORED + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return "updated";
        }
        return "present";
    }

    /** The commented settings file that {@link #init} writes. */
    static String propertiesText() {
        try (InputStream in = ProjectInit.class.getResourceAsStream(PROPERTIES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(PROPERTIES_RESOURCE + " is missing from fhirmig's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
