package io.fhirmig.cli;

import io.fhirmig.fhir.ConnectionOptions;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.fhir.embedded.EmbeddedFhirServer;
import io.fhirmig.fhir.embedded.EmbeddedServerOptions;
import io.fhirmig.run.AuditLog;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.RunIdentity;
import io.fhirmig.script.ScriptCompiler;
import io.fhirmig.state.FhirStateStore;
import io.fhirmig.state.StateStore;
import java.io.PrintWriter;

/**
 * Everything one command needs, opened from the settings: the migrations, the FHIR server (the
 * embedded one started in this process when no URL is configured), the state store and the audit log.
 */
final class Session implements AutoCloseable {

    private final Settings settings;
    private final EmbeddedFhirServer embedded;
    private final FhirConnection connection;
    private final RunIdentity identity = RunIdentity.current();
    private MigrationSet migrations;

    private Session(Settings settings, EmbeddedFhirServer embedded, FhirConnection connection) {
        this.settings = settings;
        this.embedded = embedded;
        this.connection = connection;
    }

    /** Loads nothing yet; connects to (or starts) the server. */
    static Session open(Settings settings, PrintWriter err) {
        if (settings.embedded()) {
            err.println("using the embedded FHIR server (data in " + EmbeddedEndpoint.DATA_DIR
                    + "; set FHIRMIG_URL or --url for another server)");
            err.flush();
            EmbeddedFhirServer server = EmbeddedFhirServer.start(
                    new EmbeddedServerOptions(EmbeddedEndpoint.DATA_DIR, 0));
            try {
                return new Session(settings, server, FhirConnection.open(ConnectionOptions.of(server.baseUrl())));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        return new Session(settings, null, FhirConnection.open(ConnectionOptions.of(settings.url())));
    }

    MigrationSet migrations() {
        if (migrations == null) {
            migrations = MigrationSet.load(settings.versions());
        }
        return migrations;
    }

    FhirConnection connection() {
        return connection;
    }

    StateStore store() {
        return new FhirStateStore(connection, settings.namespace());
    }

    AuditLog audit() {
        return new AuditLog(settings.namespace(), serverName(), identity);
    }

    RunIdentity identity() {
        return identity;
    }

    ScriptCompiler compiler() {
        return new ScriptCompiler();
    }

    /** How the server is named in output and the audit log: never with credentials. */
    String serverName() {
        return embedded != null ? "embedded" : connection.displayUrl();
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
