package io.fhirmig.generate;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import io.fhirmig.graph.Revision;
import io.fhirmig.graph.RevisionGraph;
import io.fhirmig.script.InvalidScriptsException;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.script.ScriptLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes new migration scripts: renders the template into {@code NNNN_NAME.groovy} in the versions
 * folder, with NNNN the number after the highest one there.
 *
 * <p>The naming rules keep every file it writes directly inside the versions folder: a NAME holds
 * only letters, digits and {@code _}, so no {@code /}, {@code ..} or space can reach the path, and
 * the resolved path is checked once more before anything is written. A file is never overwritten.
 * What it renders is read back as a migration before it is written, so a broken template cannot
 * leave a script behind that breaks every later command.
 */
public final class Generator {

    /** What a NAME may hold. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

    /** What {@link #slug} makes a NAME of: words of ASCII letters and digits, apart by '-', '_' or spaces. */
    private static final Pattern SLUGGABLE = Pattern.compile("[A-Za-z0-9_\\- \\t]+");
    private static final Pattern SEPARATORS = Pattern.compile("[- \\t]+");

    /** What a revision id may hold. */
    static final Pattern REVISION_ID = Revision.ID_PATTERN;

    /** Longer names make file names that some file systems and tools refuse. */
    static final int MAX_NAME_LENGTH = 100;

    /** The numbered scripts of a versions folder: {@code 0003_add_mrn.groovy}. */
    private static final Pattern NUMBERED = Pattern.compile("(\\d{4,})_(.+)\\.groovy");

    private static final String EXTENSION = ".groovy";
    private static final int RANDOM_ID_BYTES = 6;
    private static final int MERGE_NAME_IDS = 3;
    private static final int MERGE_NAME_ID_LENGTH = 8;

    private final Path versionsDir;
    private final RevisionGraph graph;
    private final MigrationTemplate template;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * A generator with the system clock and a secure random source.
     *
     * @param versionsDir the versions folder; it must exist
     * @param graph the migrations already in it, to keep revision ids unique and parents real
     * @param template the template to render
     */
    public Generator(Path versionsDir, RevisionGraph graph, MigrationTemplate template) {
        this(versionsDir, graph, template, Clock.systemUTC(), new SecureRandom());
    }

    /**
     * A generator with the given clock and random source, for tests.
     *
     * @param versionsDir the versions folder; it must exist
     * @param graph the migrations already in it
     * @param template the template to render
     * @param clock the clock of the "created at" line
     * @param random the source of new revision ids
     */
    public Generator(Path versionsDir, RevisionGraph graph, MigrationTemplate template, Clock clock,
            RandomGenerator random) {
        this.versionsDir = versionsDir;
        this.graph = graph;
        this.template = template;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Checks a NAME against the naming rules, without writing anything, so that a command can
     * refuse a bad name before it contacts a server.
     *
     * @param name the NAME of {@code NNNN_NAME.groovy}
     * @throws FhirmigException ({@code USAGE}) saying what is wrong with it
     */
    public void checkName(String name) {
        name = slug(name);
        if (name == null || name.isEmpty()) {
            throw usage("the migration name is empty: give a NAME such as add_patient_flag");
        }
        if (!NAME.matcher(name).matches()) {
            throw usage("the migration name '" + printable(name) + "' is not allowed: use only letters, digits"
                    + " and '_' (no '/', '.', '..', spaces or other characters), e.g. add_patient_flag");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw usage("the migration name is " + name.length() + " characters long; keep it to "
                    + MAX_NAME_LENGTH);
        }
        String used = fileUsing(name);
        if (used != null) {
            throw usage("the migration name '" + name + "' is already used by " + used
                    + "; choose another name");
        }
    }

    /**
     * Checks a revision id given by the user: its characters, and that no migration has it yet.
     *
     * @param revision the id
     * @throws FhirmigException ({@code USAGE}) saying what is wrong with it
     */
    public void checkRevisionId(String revision) {
        if (revision == null || !REVISION_ID.matcher(revision).matches()) {
            throw usage("the revision id '" + printable(String.valueOf(revision)) + "' is not allowed: use only"
                    + " letters, digits, '_' and '-'");
        }
        if (graph.contains(revision)) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "the revision id '" + revision
                    + "' is already used by " + graph.get(revision).file(), Remedy.NEW_REVISION_ID, null);
        }
    }

    /**
     * Renders and writes a new migration.
     *
     * @param request what the migration should be
     * @return what was written
     * @throws FhirmigException ({@code USAGE}) for a bad name or revision id, a parent the graph
     *     does not have, a template that does not render a usable migration, or a file that cannot
     *     be written; nothing is written then
     */
    public GeneratedMigration write(NewMigration request) {
        String name = slug(request.name());
        if (!name.equals(request.name())) {
            request = new NewMigration(name, request.message(), request.revision(), request.downRevisions(),
                    request.merge(), request.createdBy());
        }
        checkName(name);
        String revision = request.revision();
        if (revision != null) {
            checkRevisionId(revision);
        } else {
            revision = newRevisionId();
        }
        for (String parent : request.downRevisions()) {
            if (!graph.contains(parent)) {
                throw usage("cannot follow revision '" + parent + "': no migration in " + versionsDir + " declares it");
            }
        }
        String fileName = String.format(Locale.ROOT, "%04d_%s%s", nextNumber(), request.name(), EXTENSION);
        Path file = insideVersions(fileName);
        // One newline at the end, however the template's last scriptlet left it.
        String text = template.render(values(request, fileName, revision)).stripTrailing() + "\n";
        checkRendered(file, text, revision, request.downRevisions());
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw usage(file + " already exists; nothing was written");
        } catch (IOException e) {
            throw usage("cannot write " + file + ": " + e.getMessage());
        }
        return new GeneratedMigration(file, fileName, revision, request.downRevisions(), template.source(), name);
    }

    /**
     * The NAME for a name typed as words, as Alembic makes one: {@code activate-patients} or
     * {@code Activate Patients} becomes {@code activate_patients}. Only capitals, {@code -} and
     * white space are changed; a name with any other character is returned as it is, for {@link
     * #checkName} to refuse (a {@code /} or {@code ..} is never quietly dropped from a file name).
     *
     * @param name the name as given, or null
     * @return the NAME to use; the same string when it needs no change
     */
    public static String slug(String name) {
        if (name == null || !SLUGGABLE.matcher(name).matches() || NAME.matcher(name).matches()
                && name.equals(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        String slug = SEPARATORS.matcher(name.strip().toLowerCase(Locale.ROOT)).replaceAll("_");
        return slug.chars().anyMatch(Character::isLetterOrDigit) ? slug : name;
    }

    /**
     * The number of the next script: one more than the highest {@code NNNN_} prefix in the folder,
     * 1 for an empty one.
     *
     * @return the number
     */
    public int nextNumber() {
        OptionalInt highest = numberedScripts().mapToInt(m -> parseNumber(m.group(1))).max();
        return highest.isPresent() ? highest.getAsInt() + 1 : 1;
    }

    /**
     * A NAME for a merge of the given parents that no script uses yet: {@code merge_} and the first
     * characters of each parent's id (at most three of them), e.g. {@code merge_985f4e1e_d5a1c49e}.
     *
     * @param parents the revisions the merge joins
     * @return the name
     */
    public String mergeName(List<String> parents) {
        StringBuilder name = new StringBuilder("merge");
        parents.stream().limit(MERGE_NAME_IDS).forEach(id -> name.append('_')
                .append(id.replaceAll("[^A-Za-z0-9]", "").chars().limit(MERGE_NAME_ID_LENGTH)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)));
        if (parents.size() > MERGE_NAME_IDS) {
            name.append("_and_").append(parents.size() - MERGE_NAME_IDS).append("_more");
        }
        String base = name.toString();
        String candidate = base;
        for (int n = 2; fileUsing(candidate) != null; n++) {
            candidate = base + "_" + n;
        }
        return candidate;
    }

    /** A new random 12-hex revision id that no migration has. */
    String newRevisionId() {
        byte[] bytes = new byte[RANDOM_ID_BYTES];
        String id;
        do {
            random.nextBytes(bytes);
            id = HexFormat.of().formatHex(bytes);
        } while (graph.contains(id));
        return id;
    }

    private Map<String, Object> values(NewMigration request, String fileName, String revision) {
        String message = request.message() == null ? "" : oneLine(request.message());
        String description = message.isEmpty() ? request.name().replace('_', ' ') : message;
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", request.name());
        values.put("fileName", fileName);
        values.put("message", message);
        values.put("createdAt", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        values.put("createdBy", oneLine(request.createdBy()));
        values.put("revision", revision);
        values.put("downRevisions", request.downRevisions());
        values.put("downRevision", downRevisionLiteral(request.downRevisions()));
        values.put("description", GroovyLiterals.string(description));
        values.put("merge", request.merge());
        return values;
    }

    /** {@code null}, {@code 'id'}, or {@code ['id1', 'id2']}. */
    static String downRevisionLiteral(List<String> parents) {
        if (parents.isEmpty()) {
            return "null";
        }
        if (parents.size() == 1) {
            return GroovyLiterals.string(parents.get(0));
        }
        return parents.stream().map(GroovyLiterals::string).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Reads the rendered text back as a migration, and checks that it declares what was asked. */
    private void checkRendered(Path file, String text, String revision, List<String> parents) {
        MigrationScript script;
        try {
            script = ScriptLoader.read(file, text);
        } catch (InvalidScriptsException e) {
            throw usage("the template " + template.source() + " renders a script that is not a usable migration,"
                    + " so nothing was written: " + e.getMessage());
        }
        if (!script.revision().equals(revision) || !script.downRevisions().equals(parents)) {
            throw usage("the template " + template.source() + " renders revision '" + script.revision()
                    + "' and downRevision " + script.downRevisions() + " instead of '" + revision + "' and "
                    + parents + " (use ${revision} and ${downRevision} in it), so nothing was written");
        }
    }

    /** The path of a file in the versions folder, checked to be directly inside it. */
    private Path insideVersions(String fileName) {
        Path dir = versionsDir.toAbsolutePath().normalize();
        Path file = dir.resolve(fileName).normalize();
        if (!dir.equals(file.getParent()) || !file.getFileName().toString().equals(fileName)) {
            throw usage("refusing to write " + file + ": it is not directly inside the versions folder " + dir);
        }
        return versionsDir.resolve(fileName);
    }

    /** The file that already uses a NAME (compared ignoring case), or null. */
    private String fileUsing(String name) {
        return numberedScripts().filter(m -> m.group(2).equalsIgnoreCase(name))
                .map(m -> m.group(0)).sorted().findFirst().orElse(null);
    }

    private Stream<Matcher> numberedScripts() {
        if (!Files.isDirectory(versionsDir)) {
            throw usage("the versions folder " + versionsDir + " does not exist: create it with `fhirmig init`");
        }
        try (Stream<Path> entries = Files.list(versionsDir)) {
            return entries.map(p -> NUMBERED.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).toList().stream();
        } catch (IOException e) {
            throw usage("cannot list the versions folder " + versionsDir + ": " + e.getMessage());
        }
    }

    private static int parseNumber(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw usage("a script's number " + digits + " is too large to follow");
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\u0085\\u2028\\u2029]+", " ").strip();
    }

    /** A name as it may be shown in one line of an error message. */
    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
