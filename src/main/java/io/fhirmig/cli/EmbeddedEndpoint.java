package io.fhirmig.cli;

import java.nio.file.Path;

/** Where the command line keeps the embedded server's data: this folder in the project's root ({@link Settings#embeddedData()}). */
final class EmbeddedEndpoint {

    static final Path DATA_DIR = Path.of(".fhirmig", "server");

    private EmbeddedEndpoint() {
    }
}
