package io.fhirmig.cli;

import io.fhirmig.fhir.background.ProjectServer;
import io.fhirmig.fhir.background.RunningServer;
import io.fhirmig.fhir.embedded.EmbeddedFhirServer;
import io.fhirmig.fhir.embedded.EmbeddedServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code fhirmig serve}: the embedded FHIR server in the foreground, for curl, browsers and
 * FHIRMIG_URL; the commands of its folder find and use it. With {@code --status} and {@code --stop},
 * the folder's running server (the background one the commands start, or a foreground one). Started
 * by a command with the hidden {@code --background}, it is that background server.
 */
final class ServeCommand extends Subcommand {

    int port;

    boolean inMemory;

    boolean status;

    boolean stop;

    /**
     * Starts, answers a few typical requests, and stops: the launcher's training run for the
     * class-data-sharing archive that makes later starts faster.
     */
    boolean exitWhenReady;

    /** Started by a command as the folder's background server (its output goes to serve.log). */
    boolean background;

    /** Stops after this long without requests (a duration), or never. */
    String idleStop;

    /** The data folder, instead of .fhirmig/server of the working folder. */
    Path dataDir;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "serve",
                        "Run the embedded HAPI FHIR server (R4) in the foreground until Ctrl-C.",
                        "The commands in this folder use it (without it, they start one in the background",
                        "that stops after embeddedIdle without requests). Other folders and tools can use",
                        "it with FHIRMIG_URL=<the printed URL>.")
                .option(new String[] {"--port"}, "N", int.class, "8080",
                        "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).",
                        () -> port, v -> port = v)
                .flag("--in-memory", "Keep the data in memory only, instead of .fhirmig/server.",
                        () -> inMemory, v -> inMemory = v)
                .flag("--status", "Say whether the server of .fhirmig/server runs (background or foreground):"
                        + " its pid, URL, data folder and the idle time left before it stops.",
                        () -> status, v -> status = v)
                .flag("--stop", "Stop the server of .fhirmig/server (background or foreground); returns once its"
                        + " database is closed.", () -> stop, v -> stop = v)
                .hiddenFlag("--exit-when-ready", () -> exitWhenReady, v -> exitWhenReady = v)
                .hiddenFlag("--background", () -> background, v -> background = v)
                .hiddenOption("--idle-stop", String.class, () -> idleStop, v -> idleStop = v)
                .hiddenOption("--data-dir", Path.class, () -> dataDir, v -> dataDir = v);
    }

    @Override
    public Integer call() throws Exception {
        Path folder = dataDir != null ? dataDir : top.settings().embeddedData();
        if (status) {
            return printStatus(new ProjectServer(folder));
        }
        if (stop) {
            return stop(new ProjectServer(folder));
        }
        Duration idle = idleStop == null ? null : Durations.parse(idleStop, "--idle-stop");
        if (!inMemory && !exitWhenReady) {
            Optional<RunningServer> running = new ProjectServer(folder).find();
            if (running.isPresent()) {
                err().println("fhirmig: the embedded server of " + folder + " runs already ("
                        + describe(running.get()) + "): the commands in this folder use it; stop it with"
                        + " `fhirmig serve --stop`");
                return 4;
            }
        }
        err().println("starting the embedded FHIR server"
                + (inMemory ? " (in memory)" : " (data in " + folder + ")") + "...");
        err().flush();
        EmbeddedServerOptions options = new EmbeddedServerOptions(inMemory ? null : folder, port);
        if (!inMemory && !exitWhenReady) {
            options = options.sharedWith(new EmbeddedServerOptions.Shared(background, idle));
        }
        EmbeddedFhirServer server = EmbeddedFhirServer.start(options);
        if (exitWhenReady) {
            try (server) {
                new TrainingRequests(server.baseUrl()).send();
                new TrainingCommands(server.baseUrl()).run();
            }
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fhirmig-serve-shutdown"));
        out().println(server.baseUrl());
        out().flush();
        err().println("serving " + server.baseUrl() + (background ? " in the background" : " (Ctrl-C to stop)")
                + (idle == null ? "" : "; stops after " + Durations.format(idle) + " without requests"));
        err().flush();
        server.awaitClosed();
        err().println("stopped");
        err().flush();
        return 0;
    }

    private int printStatus(ProjectServer project) {
        Optional<RunningServer> running = project.find();
        if (running.isEmpty()) {
            out().println("not running: no embedded server serves " + project.dataDir());
        } else {
            RunningServer server = running.get();
            out().println("running: " + describe(server) + ", data in " + server.dataDir());
            out().println(server.idleStop() == null ? "no idle stop (`fhirmig serve` in the foreground: Ctrl-C or"
                    + " `fhirmig serve --stop` stops it)" : "stops after " + Durations.format(server.idleStop())
                    + " without requests: in " + left(server.idleLeft()) + " if none comes");
            if (!server.sameBuild()) {
                out().println("runs another build of fhirmig: " + server.build());
            }
        }
        out().flush();
        return 0;
    }

    private int stop(ProjectServer project) {
        Optional<RunningServer> stopped = project.stop();
        out().println(stopped.map(s -> "stopped: pid " + s.pid() + ", " + s.baseUrl() + "; its database is closed")
                .orElse("not running: no embedded server serves " + project.dataDir()));
        out().flush();
        return 0;
    }

    private static String describe(RunningServer server) {
        return "pid " + server.pid() + ", " + server.baseUrl() + ", "
                + (server.background() ? "in the background" : "`fhirmig serve` in the foreground");
    }

    private static String left(Duration left) {
        long seconds = left.toSeconds();
        return (seconds >= 60 ? seconds / 60 + "m" : "") + seconds % 60 + "s";
    }
}
