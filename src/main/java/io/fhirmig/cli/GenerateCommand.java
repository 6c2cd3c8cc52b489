package io.fhirmig.cli;

import io.fhirmig.generate.GeneratedMigration;
import io.fhirmig.generate.Generator;
import io.fhirmig.generate.MigrationTemplate;
import io.fhirmig.generate.NewMigration;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.RunIdentity;
import io.fhirmig.run.Status;
import java.util.List;

/**
 * {@code generate NAME}: writes the next migration script from the template, following the head
 * the server has applied. Like the original tool it refuses while the server has a migration that
 * is not applied yet (exit 2: run {@code upgrade} first), because a migration written on top of an
 * unapplied one would be planned against data the writer has never seen.
 */
final class GenerateCommand extends Subcommand {

    String name;

    String message;

    String revId;

    boolean offline;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "generate",
                        "Write versions/NNNN_NAME.groovy from templates/migration.groovy.template (or the built-in"
                                + " template), with a new revision id and downRevision = the head applied on the server.",
                        "Refuses (exit 2) while the server has an unapplied migration: run `fhirmig upgrade` first,"
                                + " or use --offline. Prints the path written.")
                .positional("NAME", "1", null, String.class, "Letters, digits and '_', e.g. add_patient_flag; words"
                                + " joined by '-' or spaces, or capitals, are made into one (activate-patients:"
                                + " activate_patients).",
                        () -> name, v -> name = v)
                .option(new String[] {"-m", "--message"}, "MESSAGE", String.class, null,
                        "What the migration does; its description (default: NAME with spaces).",
                        () -> message, v -> message = v)
                .option("--rev-id", "ID", String.class,
                        "Use this revision id (letters, digits, '_', '-') instead of a new random one.",
                        () -> revId, v -> revId = v)
                .flag("--offline", "Do not contact the server: follow the graph's single head instead.",
                        () -> offline, v -> offline = v);
    }

    @Override
    public Integer call() {
        Settings settings = top.settings();
        MigrationSet migrations = MigrationSet.load(settings.versions(), settings.scriptCache());
        MigrationTemplate template = MigrationTemplate.find(settings.templates(), settings.templatesConfigured());
        Generator generator = new Generator(settings.versions(), migrations.graph(), template);
        generator.checkName(name);
        if (revId != null) {
            generator.checkRevisionId(revId);
        }
        RunIdentity identity = RunIdentity.current();
        List<String> parents;
        String server = null;
        if (offline) {
            parents = Status.graphHead(migrations);
        } else {
            try (Session session = Session.open(settings, err(), migrations)) {
                parents = Status.read(() -> migrations, session.store()::read, session.workspace().adoption())
                        .parentsOfNewMigration(migrations, settings.namespace());
                server = session.serverName();
            }
        }
        GeneratedMigration written = generator.write(
                new NewMigration(name, message, revId, parents, false, identity.userAtHost()));
        if (!written.name().equals(name)) {
            err().println("named it " + written.name() + " (from '" + name + "')");
        }
        Generated.report(written, false, settings, server, identity, offline, spec);
        return 0;
    }

}
