package io.fhirmig.cli;

import io.fhirmig.generate.GeneratedMigration;
import io.fhirmig.generate.MigrationTemplate;
import io.fhirmig.run.AuditLog;
import io.fhirmig.run.RunIdentity;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** What {@code generate} and {@code merge} say, and audit, once they have written a script. */
final class Generated {

    private Generated() {}

    /**
     * Prints the path written on standard output (alone, so that {@code $EDITOR $(fhirmig generate x)}
     * works), the details on standard error, and writes the {@code generate} audit event.
     */
    static void report(GeneratedMigration written, boolean merge, Settings settings, String server,
            RunIdentity identity, boolean offline, CommandSpec spec) {
        new AuditLog(settings.namespace(), server, identity).generated(written, merge, offline);
        PrintWriter out = spec.commandLine().getOut();
        out.println(written.file());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("revision " + written.revision() + ", downRevision "
                + (written.downRevisions().isEmpty() ? "none (the first migration)" : String.join(", ", written.downRevisions()))
                + (MigrationTemplate.BUILT_IN.equals(written.template()) ? "; built-in template" : "; template " + written.template()));
        err.flush();
    }
}
