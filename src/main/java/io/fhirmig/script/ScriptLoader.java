package io.fhirmig.script;

import io.fhirmig.api.FhirmigException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the migration scripts of a versions directory and reads their headers without running any
 * of their code, so that listing, checking and planning stay cheap however many scripts there are.
 */
public final class ScriptLoader {

    private static final String EXTENSION = ".groovy";

    private ScriptLoader() {}

    /**
     * Reads every {@code *.groovy} file directly in the directory, in file name order, and reports
     * the problems of every file that cannot be used. Files are read in parallel; the result does
     * not depend on it.
     *
     * @param versionsDir the directory that holds the migration scripts
     * @return the usable scripts and the problems of the others
     * @throws FhirmigException of kind {@code USAGE} if the directory does not exist or cannot be
     *     listed
     */
    public static ScanResult scan(Path versionsDir) {
        return scan(versionsDir, ScriptCache.none());
    }

    /**
     * Like {@link #scan(Path)}, with what scripts read before gave taken from the cache: every file is
     * still listed and asked for its size and modification time; a file that says what it said when
     * it was read (see {@link FileStamps}) is not read again, any other is read and checksummed, and a
     * script whose checksum is not in the cache is parsed. So a changed, renamed, added or deleted
     * script is always seen.
     *
     * @param versionsDir the directory that holds the migration scripts
     * @param cache the cache of script headers; updated when the scripts changed
     * @return the usable scripts and the problems of the others
     */
    public static ScanResult scan(Path versionsDir, ScriptCache cache) {
        // The two tables are read at once, the headers on another thread: each takes tens of
        // milliseconds at thousands of scripts, before any file can be asked what it is. The build
        // fingerprint both check is computed first, once.
        cache.fingerprint();
        CompletableFuture<HeaderCache> headersRead = cache.enabled()
                ? CompletableFuture.supplyAsync(cache::headers) : CompletableFuture.completedFuture(cache.headers());
        FileStamps stamps = cache.stamps();
        String[] names = scriptFileNames(versionsDir);
        HeaderCache headers = headersRead.join();
        List<LoadedFile> loaded = Arrays.asList(names).parallelStream()
                .map(name -> load(versionsDir.resolve(name), name, headers, stamps))
                .toList();
        loaded = parseNew(loaded, headers);
        List<MigrationScript> scripts = new ArrayList<>();
        List<ScriptProblem> problems = new ArrayList<>();
        for (LoadedFile file : loaded) {
            if (file.script() != null) {
                scripts.add(file.script());
            }
            problems.addAll(file.problems());
        }
        stamps.save();
        if (headers.save()) {
            cache.classes().keepOnly(scripts);
        }
        return new ScanResult(scripts, problems);
    }

    /**
     * Like {@link #scan(Path)}, but fails if any script has a problem.
     *
     * @param versionsDir the directory that holds the migration scripts
     * @return the scripts, in file name order
     * @throws InvalidScriptsException listing every problem of every script
     */
    public static List<MigrationScript> scanOrThrow(Path versionsDir) {
        return scan(versionsDir).scriptsOrThrow();
    }

    /**
     * Reads one script file.
     *
     * @param file the script's path
     * @return the script, or its problems
     */
    static LoadedFile load(Path file, String fileName, HeaderCache headers, FileStamps stamps) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            // Gone since the folder was listed, or not ours to look at: not a script, as a directory is not.
            return LoadedFile.NOT_A_SCRIPT;
        }
        if (!attributes.isRegularFile()) {
            return LoadedFile.NOT_A_SCRIPT;
        }
        String stamped = stamps.checksum(fileName, attributes);
        ScriptHeader known = stamped == null ? null : headers.get(stamped);
        if (known != null) {
            // The text is read when the script runs, and checked then against this checksum.
            return new LoadedFile(script(file, fileName, known, stamped, null), List.of());
        }
        String text;
        try {
            text = readText(file);
        } catch (IOException e) {
            return LoadedFile.failed(new ScriptProblem(fileName, null, "cannot be read: " + reason(e)));
        }
        String checksum = Checksums.of(text);
        stamps.put(fileName, attributes, checksum);
        ScriptHeader cached = headers.get(checksum);
        if (cached != null) {
            return new LoadedFile(script(file, fileName, cached, checksum, text), List.of());
        }
        return LoadedFile.toParse(new Unparsed(file, text, checksum));
    }

    /** How many new scripts one Groovy parse reads: each parse has a start cost of its own. */
    private static final int PARSE_BATCH = 50;

    /**
     * Parses the headers of the files {@link #load} read but found in no cache, several to a Groovy
     * parse, the batches in parallel; the others are returned as they are.
     */
    private static List<LoadedFile> parseNew(List<LoadedFile> loaded, HeaderCache headers) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            if (loaded.get(i).unparsed() != null) {
                positions.add(i);
            }
        }
        if (positions.isEmpty()) {
            return loaded;
        }
        List<List<Integer>> batches = new ArrayList<>();
        for (int from = 0; from < positions.size(); from += PARSE_BATCH) {
            batches.add(positions.subList(from, Math.min(positions.size(), from + PARSE_BATCH)));
        }
        List<LoadedFile> result = new ArrayList<>(loaded);
        batches.parallelStream().forEach(batch -> {
            List<Unparsed> files = batch.stream().map(i -> loaded.get(i).unparsed()).toList();
            List<ScriptParser.Parsed> parsed = ScriptParser.parseAll(
                    files.stream().map(file -> file.file().getFileName().toString()).toList(),
                    files.stream().map(Unparsed::text).toList());
            for (int j = 0; j < batch.size(); j++) {
                Unparsed file = files.get(j);
                LoadedFile read = fromParsed(file.file(), parsed.get(j), file.checksum(), file.text());
                if (read.script() != null) {
                    MigrationScript script = read.script();
                    headers.put(file.checksum(), new ScriptHeader(script.revision(), script.downRevisions(),
                            script.description(), script.transactional()));
                }
                synchronized (result) {
                    result.set(batch.get(j), read);
                }
            }
        });
        return result;
    }

    /** A file read whose header is not known yet. */
    record Unparsed(Path file, String text, String checksum) {}

    /**
     * Reads a script's header from text that is not (yet) on disk, as {@link #scan(Path)} would
     * read it from the file: e.g. a script about to be written, to check it before writing it.
     *
     * @param file the path the script would have; its file name names the script in problems
     * @param text the script's text
     * @return the script
     * @throws InvalidScriptsException listing every problem of the text
     */
    public static MigrationScript read(Path file, String text) {
        String normalized = Checksums.normalize(text);
        LoadedFile loaded = fromText(file, normalized, Checksums.of(normalized));
        if (loaded.script() == null) {
            throw new InvalidScriptsException(loaded.problems());
        }
        return loaded.script();
    }

    private static LoadedFile fromText(Path file, String text, String checksum) {
        return fromParsed(file, ScriptParser.parse(file.getFileName().toString(), text), checksum, text);
    }

    private static LoadedFile fromParsed(Path file, ScriptParser.Parsed parsed, String checksum, String text) {
        String fileName = file.getFileName().toString();
        if (parsed.module() == null) {
            return LoadedFile.failed(parsed.problems());
        }
        HeaderReader.Result header = HeaderReader.read(fileName, parsed.module());
        if (header.header() == null) {
            return LoadedFile.failed(header.problems());
        }
        return new LoadedFile(script(file, fileName, header.header(), checksum, text), List.of());
    }

    private static MigrationScript script(Path file, String fileName, ScriptHeader header, String checksum,
            String text) {
        return new MigrationScript(file, fileName, header.revision(), header.downRevisions(),
                header.description(), header.transactional(), checksum, text);
    }

    /** {@return the names of the directory's {@code *.groovy} entries, sorted} */
    private static String[] scriptFileNames(Path versionsDir) {
        if (!Files.isDirectory(versionsDir)) {
            throw new FhirmigException(FhirmigException.Kind.USAGE,
                    "versions directory " + versionsDir + " does not exist or is not a directory");
        }
        // Names, not Paths: File.list makes each name's string once, where a directory stream makes
        // a Path per entry and each Path its name again (a tenth of the scan at thousands of scripts).
        // Whether an entry is a file is asked in the parallel part, with the rest of what it says.
        String[] names = versionsDir.toFile().list((dir, name) -> name.endsWith(EXTENSION));
        if (names == null) {
            throw cannotList(versionsDir);
        }
        Arrays.sort(names);
        return names;
    }

    /** File.list says only that it failed: asks again the way that says why. */
    private static FhirmigException cannotList(Path versionsDir) {
        String why;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(versionsDir)) {
            entries.iterator().hasNext();
            why = "it cannot be read";
        } catch (IOException | RuntimeException e) {
            why = e instanceof IOException io ? reason(io) : String.valueOf(e.getMessage());
        }
        return new FhirmigException(FhirmigException.Kind.USAGE, "cannot list versions directory " + versionsDir + ": " + why);
    }

    /** The largest script file read: a script is code a person reviews, and a 3 GB file would exhaust memory. */
    static final long MAX_SCRIPT_BYTES = 10L * 1024 * 1024;

    /** A script file over {@link #MAX_SCRIPT_BYTES}: an invalid script (exit 3), not an OutOfMemoryError. */
    static final class TooLargeException extends IOException {
        TooLargeException(long size) {
            super("it is " + (size >= 1024 * 1024 ? size / (1024 * 1024) + " MB" : size + " bytes")
                    + ", and a script file may be at most " + MAX_SCRIPT_BYTES / (1024 * 1024) + " MB");
        }
    }

    /** {@return a script file's text, normalised as it is checksummed and run} */
    static String readText(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_SCRIPT_BYTES) {
            throw new TooLargeException(size);
        }
        return Checksums.normalize(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A reason a user can act on; some IOExceptions carry only a path as their message. */
    static String reason(IOException e) {
        if (e instanceof CharacterCodingException) {
            return "it is not valid UTF-8 (save it as UTF-8)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it no longer exists";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * One file's outcome: its script, or its problems.
     *
     * @param script the script, or {@code null} if it has problems or is not parsed yet
     * @param problems the file's problems, empty if the script is usable
     * @param unparsed the file's text, when its header is still to be parsed; otherwise {@code null}
     */
    record LoadedFile(MigrationScript script, List<ScriptProblem> problems, Unparsed unparsed) {

        /** An entry that only looks like a script: a directory, or a file gone since the listing. */
        static final LoadedFile NOT_A_SCRIPT = new LoadedFile(null, List.of());

        LoadedFile(MigrationScript script, List<ScriptProblem> problems) {
            this(script, problems, null);
        }

        static LoadedFile failed(ScriptProblem problem) {
            return failed(List.of(problem));
        }

        static LoadedFile failed(List<ScriptProblem> problems) {
            return new LoadedFile(null, problems);
        }

        /** A file read, whose header {@link ScriptLoader#parseNew} parses with others. */
        static LoadedFile toParse(Unparsed unparsed) {
            return new LoadedFile(null, List.of(), unparsed);
        }
    }
}
