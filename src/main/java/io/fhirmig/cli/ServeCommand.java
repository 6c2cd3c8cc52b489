package io.fhirmig.cli;

import io.fhirmig.fhir.embedded.EmbeddedFhirServer;
import io.fhirmig.fhir.embedded.EmbeddedServerOptions;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code fhirmig serve}: the embedded FHIR server in the foreground, for curl, browsers and FHIRMIG_URL. */
final class ServeCommand extends Subcommand {

    int port;

    boolean inMemory;

    /**
     * Starts, answers a few typical requests, and stops: the launcher's training run for the
     * class-data-sharing archive that makes later starts faster.
     */
    boolean exitWhenReady;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "serve",
                        "Run the embedded HAPI FHIR server (R4) in the foreground until Ctrl-C.",
                        "Point other commands at it with FHIRMIG_URL=<the printed URL> to share one server.")
                .option(new String[] {"--port"}, "N", int.class, "8080",
                        "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).",
                        () -> port, v -> port = v)
                .flag("--in-memory", "Keep the data in memory only, instead of .fhirmig/server.",
                        () -> inMemory, v -> inMemory = v)
                .hiddenFlag("--exit-when-ready", () -> exitWhenReady, v -> exitWhenReady = v);
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = inMemory ? null : top.settings().embeddedData();
        err().println("starting the embedded FHIR server"
                + (inMemory ? " (in memory)" : " (data in " + dataDir + ")") + "...");
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
        out().println(server.baseUrl());
        out().flush();
        err().println("serving " + server.baseUrl() + " (Ctrl-C to stop)");
        err().flush();
        stopped.await();
        return 0;
    }
}
