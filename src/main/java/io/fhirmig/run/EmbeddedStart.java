package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.embedded.EmbeddedFhirServer;
import io.fhirmig.fhir.embedded.EmbeddedServerOptions;
import java.nio.file.Path;

/**
 * Starts the embedded server. The only class of the run package that names the embedded server's
 * classes, whose dependencies (HAPI JPA server, Jetty, H2) are optional: an application without them
 * loads this class only when it asks for the embedded server, and is told what to add.
 */
final class EmbeddedStart {

    record Started(AutoCloseable server, String baseUrl) {
    }

    private EmbeddedStart() {
    }

    static Started start(Path dataDir) {
        EmbeddedFhirServer server;
        try {
            server = EmbeddedFhirServer.start(new EmbeddedServerOptions(dataDir, 0));
        } catch (NoClassDefFoundError e) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "the embedded FHIR server needs dependencies"
                    + " that are optional in fhirmig's artifact (missing: " + e.getMessage() + "): add"
                    + " ca.uhn.hapi.fhir:hapi-fhir-jpaserver-base, org.eclipse.jetty.ee10:jetty-ee10-servlet,"
                    + " com.h2database:h2, org.apache.commons:commons-dbcp2 and jakarta.transaction:jakarta.transaction-api"
                    + " to the application (see docs/java-api.md), or give the URL of a FHIR server", e);
        }
        return new Started(server, server.baseUrl());
    }
}
