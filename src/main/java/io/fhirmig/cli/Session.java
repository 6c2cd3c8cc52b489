package io.fhirmig.cli;

import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.run.AuditLog;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.RunIdentity;
import io.fhirmig.run.Workspace;
import io.fhirmig.script.ScriptCompiler;
import io.fhirmig.state.StateStore;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;

/**
 * Everything one command needs, opened from the settings: a {@link Workspace} (the migrations, the
 * FHIR server, the state store, the audit log), after saying so when the embedded server starts.
 */
final class Session implements AutoCloseable {

    private final Workspace workspace;

    private Session(Workspace workspace) {
        this.workspace = workspace;
    }

    /** Starts reading the migrations in the background; connects to (or starts) the server. */
    static Session open(Settings settings, PrintWriter err) {
        // Read the migrations while the connection opens and the server answers.
        return open(settings, err, MigrationSet.loadInBackground(settings.versions(), settings.scriptCache()));
    }

    /** Connects to (or starts) the server, for a command that has read the migrations already. */
    static Session open(Settings settings, PrintWriter err, MigrationSet migrations) {
        return open(settings, err, CompletableFuture.completedFuture(migrations));
    }

    private static Session open(Settings settings, PrintWriter err, CompletableFuture<MigrationSet> migrations) {
        if (settings.embedded()) {
            err.println("using the embedded FHIR server (data in " + EmbeddedEndpoint.DATA_DIR
                    + "; set FHIRMIG_URL or --url for another server)");
            err.flush();
        }
        return new Session(Workspace.open(settings.connection(), settings.versions(), settings.namespace(),
                EmbeddedEndpoint.DATA_DIR).caching(settings.scriptCache()).loadingFrom(migrations));
    }

    Workspace workspace() {
        return workspace;
    }

    MigrationSet migrations() {
        return workspace.migrations();
    }

    FhirConnection connection() {
        return workspace.connection();
    }

    StateStore store() {
        return workspace.store();
    }

    AuditLog audit() {
        return workspace.audit();
    }

    RunIdentity identity() {
        return workspace.identity();
    }

    ScriptCompiler compiler() {
        return workspace.compiler();
    }

    /** How the server is named in output and the audit log: never with credentials. */
    String serverName() {
        return workspace.serverName();
    }

    @Override
    public void close() {
        workspace.close();
    }
}
