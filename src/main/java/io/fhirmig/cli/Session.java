package io.fhirmig.cli;

import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.run.AuditLog;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.RunIdentity;
import io.fhirmig.run.Workspace;
import io.fhirmig.script.ScriptCompiler;
import io.fhirmig.run.Validation;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.InconsistentStateException;
import io.fhirmig.state.StateSnapshot;
import io.fhirmig.state.StateStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Everything one command needs, opened from the settings: a {@link Workspace} (the migrations, the
 * FHIR server, the state store, the audit log), after saying so when the embedded server starts.
 */
final class Session implements AutoCloseable {

    private final Workspace workspace;
    private StateSnapshot readAhead;
    /** A state read ahead that contradicts itself: thrown at the first read, or shown. */
    private InconsistentStateException readAheadProblem;

    private Session(Workspace workspace) {
        this.workspace = workspace;
    }

    /** Reads the state now, for the command's first {@link #readState()}. */
    void readStateAhead() {
        try {
            readAhead = workspace.store().read();
        } catch (InconsistentStateException e) {
            readAheadProblem = e;
        }
    }

    /** The state: as read ahead, the first time, else read from the server now. */
    StateSnapshot readState() {
        InconsistentStateException problem = readAheadProblem;
        if (problem != null) {
            readAheadProblem = null;
            throw problem;
        }
        StateSnapshot state = readAhead;
        if (state != null) {
            readAhead = null;
            return state;
        }
        return workspace.store().read();
    }

    /**
     * The state as far as it can be read, for a command that shows it: a contradiction is a warning
     * line on {@code err} (never a reason to show nothing), and runs refuse it anyway.
     */
    StateSnapshot readStateShowingProblems(PrintWriter err) {
        try {
            return readState();
        } catch (InconsistentStateException e) {
            warn(err, e.getMessage());
            return e.state();
        }
    }

    /**
     * The applied records, after a warning line on {@code err} if they and the heads disagree.
     */
    List<AppliedRecord> appliedRecordsShowingProblems(List<String> heads, PrintWriter err) {
        List<AppliedRecord> records = workspace.store().appliedRecords();
        String contradiction = new Validation(migrations()).contradiction(records, heads);
        if (contradiction != null) {
            warn(err, contradiction);
        }
        return records;
    }

    private static void warn(PrintWriter err, String message) {
        err.println("warning: " + message);
        err.flush();
    }

    /** Starts reading the migrations on a thread of their own, to overlap the connection and the server's answer. */
    static CompletableFuture<MigrationSet> startReading(Settings settings) {
        return MigrationSet.loadInBackground(settings.versions(), settings.scriptCache());
    }

    /** Connects to (or starts) the server, for a command that has read the migrations already. */
    static Session open(Settings settings, PrintWriter err, MigrationSet migrations) {
        return open(settings, err, CompletableFuture.completedFuture(migrations));
    }

    /** Connects to (or starts) the server, while the migrations are read (see {@link #startReading}). */
    static Session open(Settings settings, PrintWriter err, CompletableFuture<MigrationSet> migrations) {
        Workspace workspace = settings.embedded() ? EmbeddedEndpoint.open(settings, err)
                : Workspace.open(settings.connection(), settings.versions(), settings.namespace(), EmbeddedEndpoint.DATA_DIR);
        return new Session(workspace.caching(settings.scriptCache()).loadingFrom(migrations)
                .legacyResourceId(settings.legacyResourceId()));
    }

    /**
     * Connects (as {@link #open}) and reads the state ahead, for a command that starts with {@link
     * #readState()}; closes the session again if the reading fails.
     */
    static Session openReadingState(Settings settings, PrintWriter err, CompletableFuture<MigrationSet> migrations) {
        return readingState(open(settings, err, migrations));
    }

    /**
     * As {@link #openReadingState}, but on the embedded server only if it runs already (nothing is
     * started before the command line is parsed); null when it does not.
     */
    static Session openRunningReadingState(Settings settings, PrintWriter err, CompletableFuture<MigrationSet> migrations) {
        if (!settings.embedded()) {
            return openReadingState(settings, err, migrations);
        }
        Workspace running = EmbeddedEndpoint.openRunning(settings, err);
        return running == null ? null : readingState(new Session(running.caching(settings.scriptCache())
                .loadingFrom(migrations).legacyResourceId(settings.legacyResourceId())));
    }

    private static Session readingState(Session session) {
        try {
            session.readStateAhead();
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
        return session;
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
