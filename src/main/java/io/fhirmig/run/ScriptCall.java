package io.fhirmig.run;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirmig.api.Direction;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.script.Migration;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.script.ScriptBindings;
import io.fhirmig.script.ScriptCompiler;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Calls a migration's {@code upgrade()} or {@code downgrade()} as a run's step does: compiled with the
 * bindings every script sees ({@code fhir}, {@code fhirContext}, {@code log}, {@code migration},
 * {@code context}), and a transactional migration's direct writes through {@code fhir} refused. The
 * runner and {@code verify} both call scripts through it, so that a verified migration runs as it
 * will in production.
 */
public final class ScriptCall {

    private final FhirConnection connection;
    private final ScriptCompiler compiler;

    public ScriptCall(FhirConnection connection, ScriptCompiler compiler) {
        this.connection = connection;
        this.compiler = compiler;
    }

    /**
     * Runs the script's function on this thread.
     *
     * @param context the step's {@code migration} binding; a transactional migration's writes are
     *     collected in it (see {@link StepContext#collectedEntries()})
     * @throws io.fhirmig.script.MigrationFailedException if the function throws
     */
    public void run(MigrationScript script, StepContext context, Direction direction) {
        DirectWriteGuard guard = script.transactional() ? new DirectWriteGuard(script.fileName()) : null;
        // The client is made when the script first reads fhir (a script that sends nothing never starts
        // HAPI); a transactional migration's is guarded from then on.
        AtomicReference<IGenericClient> guarded = new AtomicReference<>();
        Supplier<IGenericClient> client = () -> {
            IGenericClient made = connection.client();
            if (guard != null && guarded.compareAndSet(null, made)) {
                made.registerInterceptor(guard);
            }
            return made;
        };
        try {
            try (Migration migration = compiler.compile(script,
                    ScriptBindings.lazily(script, client, connection::context, context))) {
                if (direction == Direction.UPGRADE) {
                    migration.upgrade();
                } else {
                    migration.downgrade();
                }
            }
        } finally {
            IGenericClient made = guarded.get();
            if (made != null) {
                made.unregisterInterceptor(guard);
            }
        }
    }
}
