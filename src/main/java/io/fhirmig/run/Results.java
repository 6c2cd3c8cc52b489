package io.fhirmig.run;

import io.fhirmig.api.CurrentState;
import io.fhirmig.api.MigrationInfo;
import io.fhirmig.api.PythonToolState;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.LegacyToolState;
import io.fhirmig.state.LockInfo;
import java.time.Duration;

/** The engine's values as the public result records show them. */
public final class Results {

    private Results() {}

    /** {@return an applied record as a migration of the history; its description from its script, if any} */
    public static MigrationInfo applied(AppliedRecord record, MigrationSet migrations) {
        MigrationScript script = migrations.graph().contains(record.revision()) ? migrations.script(record.revision()) : null;
        return new MigrationInfo(record.revision(), record.file(), script == null ? null : script.description(), true,
                record.appliedAt(), record.appliedBy(),
                record.appliedAt() == null ? null : Duration.ofMillis(record.durationMs()), record.checksum(),
                record.adopted() ? "Basic/" + record.adoptedFrom() : null);
    }

    /** {@return a script not applied yet as a migration of the history} */
    public static MigrationInfo pending(MigrationScript script) {
        return new MigrationInfo(script.revision(), script.fileName(), script.description(), false, null, null, null,
                script.checksum(), null);
    }

    /** {@return the lock as the results show it; null for none} */
    public static CurrentState.Lock lock(LockInfo lock) {
        return lock == null ? null : new CurrentState.Lock(lock.owner(), lock.step(), lock.expiresAt(), lock.readable());
    }

    /** {@return what the Python tool recorded; null for nothing} */
    public static PythonToolState tool(LegacyToolState.Recorded tool) {
        return tool == null ? null
                : new PythonToolState("Basic/" + tool.resourceId(), tool.identifier(), tool.revision(), tool.lastUpdated());
    }
}
