package io.fhirmig.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * fhirmig's own commands, run once in the process that writes the start-up archive, against the
 * server it started: so that what a command uses on the client side (the command line, the HTTP
 * client, the FHIR client and parser, the script cache, Groovy) is in the archive too, and a short
 * command loads few classes from jars. Best effort: a failure here only means a slower start.
 */
final class TrainingCommands {

    private final String baseUrl;

    TrainingCommands(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    void run() throws IOException {
        Path project = Files.createTempDirectory("fhirmig-training");
        try {
            runIn(project);
        } finally {
            deleteQuietly(project);
        }
    }

    private void runIn(Path project) throws IOException {
        Path versions = Files.createDirectories(project.resolve("versions"));
        String parent = null;
        for (int i = 1; i <= 3; i++) {
            String revision = "training" + i;
            Files.writeString(versions.resolve(String.format("%04d_training.groovy", i)),
                    "revision = '" + revision + "'\n"
                            + "downRevision = " + (parent == null ? "null" : "'" + parent + "'") + "\n"
                            + "description = 'warms the start-up archive'\n\n"
                            + "void upgrade() { [1, 2].each { log.debug('step {}', it) } }\n"
                            + "void downgrade() {}\n");
            parent = revision;
        }
        Path config = project.resolve("fhirmig.properties");
        Files.writeString(config, "cache=" + project.resolve("cache").toString().replace("\\", "/") + "\n");
        // Twice: the second run loads the scripts from the cache, as most runs do.
        for (int round = 0; round < 2; round++) {
            for (List<String> command : List.of(
                    List.of("upgrade"), List.of("current"), List.of("history"), List.of("heads"),
                    List.of("show", "training1"), List.of("check"), List.of("current", "--json"),
                    List.of("downgrade", "-1"), List.of("downgrade", "base"))) {
                List<String> args = new ArrayList<>(List.of("-q", "--url", baseUrl, "--versions", versions.toString(),
                        "--namespace", "fhirmig-training", "--config", config.toString()));
                args.addAll(command);
                Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
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
