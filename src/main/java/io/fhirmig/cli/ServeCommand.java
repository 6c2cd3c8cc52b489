package io.fhirmig.cli;

import io.fhirmig.fhir.embedded.EmbeddedFhirServer;
import io.fhirmig.fhir.embedded.EmbeddedServerOptions;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fhirmig serve}: the embedded FHIR server in the foreground, for curl, browsers and FHIRMIG_URL. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Run the embedded HAPI FHIR server (R4) in the foreground until Ctrl-C.",
            "Point other commands at it with FHIRMIG_URL=<the printed URL> to share one server."
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--in-memory", description = "Keep the data in memory only, instead of .fhirmig/server.")
    boolean inMemory;

    /**
     * Starts, answers a few typical requests, and stops: the launcher's training run for the
     * class-data-sharing archive that makes later starts faster.
     */
    @Option(names = "--exit-when-ready", hidden = true)
    boolean exitWhenReady;

    @Override
    public Integer call() throws Exception {
        Path dataDir = inMemory ? null : EmbeddedEndpoint.DATA_DIR;
        spec.commandLine().getErr().println("starting the embedded FHIR server"
                + (inMemory ? " (in memory)" : " (data in " + EmbeddedEndpoint.DATA_DIR + ")") + "...");
        EmbeddedFhirServer server = EmbeddedFhirServer.start(new EmbeddedServerOptions(dataDir, port));
        if (exitWhenReady) {
            try (server) {
                new TrainingRequests(server.baseUrl()).send();
                new TrainingCommands(server.baseUrl()).run();
            }
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "fhirmig-serve-shutdown"));
        spec.commandLine().getOut().println(server.baseUrl());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println("serving " + server.baseUrl() + " (Ctrl-C to stop)");
        spec.commandLine().getErr().flush();
        stopped.await();
        return 0;
    }
}
