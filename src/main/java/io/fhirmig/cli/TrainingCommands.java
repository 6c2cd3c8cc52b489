package io.fhirmig.cli;

import io.fhirmig.fhir.embedded.ServerFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * fhirmig's own commands, run against a server so that the classes they load land in the start-up
 * archive and a short command loads few classes from jars. Two uses, both best effort (a failure
 * only means a slower start):
 * <ul>
 * <li>{@link #main}: the launcher's first step, in a process of its own with the server in a second
 * one, so that the list of classes this process loads ({@code -XX:DumpLoadedClassList}) holds what a
 * command uses on the client side and none of the server's: the launcher makes the archive's first
 * layer of exactly those, packed together;
 * <li>{@link #run}: in the process that writes the archive's second layer ({@code serve
 * --exit-when-ready}), for what a command uses beside the embedded server.
 * </ul>
 */
final class TrainingCommands {

    private static final int ROUNDS = 2;
    private static final String NAMESPACE = "fhirmig-training";
    private static final Duration SERVER_STOP = Duration.ofSeconds(60);

    /** The server, named on each command line; null when the project's file names it. */
    private final String baseUrl;

    TrainingCommands(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * Starts the server with the command line given (which must print the server's URL as its first
     * line, as {@code fhirmig serve} does), runs every command the way a process of its own does
     * ({@link Main#runAsProcess}) in the current folder, which it fills with migrations, and stops
     * the server. Exits 0, or 1 with the reason on standard error.
     */
    public static void main(String[] serverCommand) {
        // As every command's process does first: its classes then lie in the client layer too.
        ProcessExits.install();
        int code = 0;
        try {
            trainAgainst(List.of(serverCommand));
        } catch (IOException | RuntimeException e) {
            System.err.println("fhirmig: the training run failed: " + e);
            code = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 1;
        }
        ProcessExits.exit(code);
    }

    private static void trainAgainst(List<String> serverCommand) throws IOException, InterruptedException {
        if (serverCommand.isEmpty()) {
            throw new IllegalArgumentException("give the command line that starts the server");
        }
        Process server = new ProcessBuilder(serverCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String url = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (url == null || !url.startsWith("http")) {
                throw new IOException("the server printed no URL (exit code "
                        + (server.isAlive() ? "none yet" : server.exitValue()) + ")");
            }
            Path project = Path.of("").toAbsolutePath();
            // The server and namespace from the project's file, as most projects name them.
            Files.writeString(project.resolve(SettingsResolver.PROPERTIES_FILE),
                    "url=" + url + "\nnamespace=" + NAMESPACE + "\n");
            new TrainingCommands(null).runIn(project, List.of(), Main::runAsProcess);
            // The background server's client side: the training server named as this folder's, found and used.
            Path data = Files.createDirectories(project.resolve(".fhirmig/server"));
            Files.writeString(data.resolve(ServerFile.NAME),
                    "pid=" + server.pid() + "\nurl=" + url + "\nbackground=true\n");
            for (String[] args : List.of(new String[] {"-q", "--url", "embedded", "current"},
                    new String[] {"serve", "--status"})) {
                Main.runAsProcess(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
            }
        } finally {
            server.destroy();
            if (!server.waitFor(SERVER_STOP.toSeconds(), TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** In this process, with a temporary project. */
    void run() throws IOException {
        Path project = Files.createTempDirectory("fhirmig-training");
        try {
            Path config = project.resolve("fhirmig.properties");
            Files.writeString(config, "cache=" + project.resolve("cache").toString().replace("\\", "/") + "\n");
            runIn(project, List.of("--versions", project.resolve("versions").toString(), "--config", config.toString()),
                    Main::run);
        } finally {
            deleteQuietly(project);
        }
    }

    /** How a command line is run: with its output, its errors and its arguments. */
    private interface Runner {
        int run(PrintWriter out, PrintWriter err, String... args);
    }

    private void runIn(Path project, List<String> projectOptions, Runner runner) throws IOException {
        Path versions = Files.createDirectories(project.resolve("versions"));
        // Dated an hour back, as a project's migrations are: the scan trusts their stamps then, and
        // the classes of that path (the one most runs take) land in the archive too.
        FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        String parent = null;
        for (int i = 1; i <= 3; i++) {
            String revision = "training" + i;
            Path script = versions.resolve(String.format("%04d_training.groovy", i));
            Files.writeString(script,
                    "revision = '" + revision + "'\n"
                            + "downRevision = " + (parent == null ? "null" : "'" + parent + "'") + "\n"
                            + "description = 'warms the start-up archive'\n\n"
                            + "void upgrade() { [1, 2].each { log.debug('step {}', it) } }\n"
                            + "void downgrade() {}\n");
            Files.setLastModifiedTime(script, anHourAgo);
            parent = revision;
        }
        // Twice: the second run loads the scripts from the cache, as most runs do.
        for (int round = 0; round < ROUNDS; round++) {
            for (List<String> command : List.of(
                    List.of("upgrade"), List.of("current"), List.of("history"), List.of("status"), List.of("heads"),
                    List.of("show", "training1"), List.of("check"), List.of("current", "--json"),
                    List.of("downgrade", "-1"), List.of("downgrade", "base"),
                    // Builds every command's model, so the archive holds all of their option bindings.
                    List.of("--help"))) {
                List<String> args = new ArrayList<>();
                if (baseUrl != null) {
                    args.addAll(List.of("-q", "--url", baseUrl, "--namespace", NAMESPACE));
                }
                args.addAll(projectOptions);
                args.addAll(command);
                runner.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                        args.toArray(String[]::new));
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // A temporary folder left behind is no reason to fail the archive.
        }
    }
}
