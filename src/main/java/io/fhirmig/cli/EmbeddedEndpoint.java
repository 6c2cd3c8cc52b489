package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.fhir.background.Connected;
import io.fhirmig.fhir.background.ProjectServer;
import io.fhirmig.fhir.background.RunningServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the command line keeps the embedded server's data, and how a command reaches that server:
 * the project's background server (found or started), or one in the command's own process when
 * {@code embeddedIdle} is off; either way said in one line. The library is then pointed at the
 * running server ({@link Fhirmig.Builder#embeddedRunningAt}), or starts its own in-process one.
 */
final class EmbeddedEndpoint {

    /** The data folder in the project's root. */
    static final Path DATA_DIR = Path.of(".fhirmig", "server");

    private EmbeddedEndpoint() {
    }

    /** Points the builder at the embedded server, after saying on {@code err} which one it is. */
    static Fhirmig.Builder configure(Fhirmig.Builder builder, Settings settings, PrintWriter err) {
        ProjectServer project = new ProjectServer(settings.embeddedData());
        if (settings.backgroundEmbedded()) {
            Connected connected = project.connect(settings.embeddedIdle());
            say(err, connected.started() ? started(connected, settings) : using(connected.server(), settings));
            return builder.embeddedRunningAt(connected.server().baseUrl());
        }
        Optional<RunningServer> running = project.findToUse();
        if (running.isPresent()) {
            say(err, using(running.get(), settings));
            return builder.embeddedRunningAt(running.get().baseUrl());
        }
        say(err, "using the embedded FHIR server in this process (data in " + settings.embeddedData()
                + "; set FHIRMIG_URL or --url for another server)");
        return builder;
    }

    private static String started(Connected connected, Settings settings) {
        RunningServer server = connected.server();
        String replaced = connected.replaced() == null ? "" : "stopped the embedded server of another fhirmig build"
                + " (pid " + connected.replaced().pid() + "); ";
        return replaced + "started the embedded FHIR server in the background: " + server.baseUrl() + " (pid "
                + server.pid() + ", data in " + settings.embeddedData() + "); it stops after "
                + Durations.format(server.idleStop()) + " without requests, or with `fhirmig serve --stop`";
    }

    static String using(RunningServer server, Settings settings) {
        return "using the embedded FHIR server at " + server.baseUrl() + " (pid " + server.pid() + ", data in "
                + settings.embeddedData() + (server.background() ? "" : ", `fhirmig serve` in the foreground") + ")";
    }

    private static void say(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }
}
