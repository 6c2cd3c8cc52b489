package io.fhirmig

import ca.uhn.fhir.context.FhirContext
import ca.uhn.fhir.rest.client.api.IGenericClient
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum
import io.fhirmig.fhir.embedded.EmbeddedFhirServer
import io.fhirmig.fhir.embedded.EmbeddedServerOptions

/**
 * One embedded FHIR server per test JVM: a real HAPI FHIR JPA server on a random loopback port
 * with in-memory H2, started on first use and stopped by {@link TestServerExtension} when the run
 * ends. Each specification keeps to its own namespace (or its own resource ids) on it.
 */
final class TestServer {

    private static EmbeddedFhirServer server
    private static FhirContext context

    private TestServer() {}

    static synchronized EmbeddedFhirServer get() {
        if (server == null) {
            server = EmbeddedFhirServer.start(EmbeddedServerOptions.inMemory())
        }
        server
    }

    static String baseUrl() {
        get().baseUrl()
    }

    static synchronized FhirContext fhirContext() {
        if (context == null) {
            context = FhirContext.forR4()
            context.restfulClientFactory.serverValidationMode = ServerValidationModeEnum.NEVER
            // HAPI's default of 10 s is too short for the specs' 1,000-record transactions on a slow
            // machine; fhirmig's own connections wait 5 minutes for the same reason.
            context.restfulClientFactory.socketTimeout = 300_000
        }
        context
    }

    /** A plain HAPI client over HTTP, as any application would use. */
    static IGenericClient newClient() {
        fhirContext().newRestfulGenericClient(baseUrl())
    }

    static synchronized void stop() {
        server?.close()
        server = null
    }
}
