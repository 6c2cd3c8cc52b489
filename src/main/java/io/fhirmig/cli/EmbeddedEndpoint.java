package io.fhirmig.cli;

import io.fhirmig.fhir.background.Connected;
import io.fhirmig.fhir.background.ProjectServer;
import io.fhirmig.fhir.background.RunningServer;
import io.fhirmig.run.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the command line keeps the embedded server's data, and how a command reaches that server:
 * the project's background server (found or started), or one in the command's own process when
 * {@code embeddedIdle} is off; either way said in one line.
 */
final class EmbeddedEndpoint {

    static final Path DATA_DIR = Path.of(".fhirmig", "server");

    private EmbeddedEndpoint() {
    }

    /** Opens a workspace on the embedded server, after saying on {@code err} which one it is. */
    static Workspace open(Settings settings, PrintWriter err) {
        ProjectServer project = new ProjectServer(DATA_DIR);
        if (settings.backgroundEmbedded()) {
            Connected connected = project.connect(settings.embeddedIdle());
            say(err, connected.started() ? started(connected) : using(connected.server()));
            return onRunning(connected.server(), settings);
        }
        Optional<RunningServer> running = project.findToUse();
        if (running.isPresent()) {
            say(err, using(running.get()));
            return onRunning(running.get(), settings);
        }
        say(err, "using the embedded FHIR server in this process (data in " + DATA_DIR
                + "; set FHIRMIG_URL or --url for another server)");
        return Workspace.open(settings.connection(), settings.versions(), settings.namespace(), DATA_DIR);
    }

    /**
     * Opens a workspace on the folder's running embedded server, after saying so on {@code err}; null
     * when none runs (for a session opened before the command line is parsed, which starts nothing).
     */
    static Workspace openRunning(Settings settings, PrintWriter err) {
        Optional<RunningServer> running = new ProjectServer(DATA_DIR).findToUse();
        if (running.isEmpty()) {
            return null;
        }
        say(err, using(running.get()));
        return onRunning(running.get(), settings);
    }

    private static Workspace onRunning(RunningServer server, Settings settings) {
        return Workspace.openRunningEmbedded(server.baseUrl(), settings.connection(), settings.versions(),
                settings.namespace());
    }

    private static String started(Connected connected) {
        RunningServer server = connected.server();
        String replaced = connected.replaced() == null ? "" : "stopped the embedded server of another fhirmig build"
                + " (pid " + connected.replaced().pid() + "); ";
        return replaced + "started the embedded FHIR server in the background: " + server.baseUrl() + " (pid "
                + server.pid() + ", data in " + DATA_DIR + "); it stops after " + Durations.format(server.idleStop())
                + " without requests, or with `fhirmig serve --stop`";
    }

    static String using(RunningServer server) {
        return "using the embedded FHIR server at " + server.baseUrl() + " (pid " + server.pid() + ", data in "
                + DATA_DIR + (server.background() ? "" : ", `fhirmig serve` in the foreground") + ")";
    }

    private static void say(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }
}
