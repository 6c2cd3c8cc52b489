package io.fhirmig.cli;

import io.fhirmig.FhirmigException;
import io.fhirmig.generate.GeneratedMigration;
import io.fhirmig.generate.Generator;
import io.fhirmig.generate.MigrationTemplate;
import io.fhirmig.generate.NewMigration;
import io.fhirmig.graph.Revision;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.RunIdentity;
import io.fhirmig.run.Status;
import io.fhirmig.script.MigrationScript;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code generate NAME}: writes the next migration script from the template, following the head
 * the server has applied. Like the original tool it refuses while the server has a migration that
 * is not applied yet (exit 2: run {@code upgrade} first), because a migration written on top of an
 * unapplied one would be planned against data the writer has never seen.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write versions/NNNN_NAME.groovy from templates/migration.groovy.template (or the built-in"
                + " template), with a new revision id and downRevision = the head applied on the server.",
            "Refuses (exit 2) while the server has an unapplied migration: run `fhirmig upgrade` first,"
                + " or use --offline. Prints the path written."})
final class GenerateCommand implements Callable<Integer> {

    /** How many unapplied scripts the refusal names before it says "and N more". */
    private static final int SHOWN = 5;

    @ParentCommand
    FhirmigCommand top;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Letters, digits and '_', e.g. add_patient_flag.")
    String name;

    @Option(names = {"-m", "--message"}, paramLabel = "MESSAGE",
            description = "What the migration does; its description (default: NAME with spaces).")
    String message;

    @Option(names = "--rev-id", paramLabel = "ID",
            description = "Use this revision id (letters, digits, '_', '-') instead of a new random one.")
    String revId;

    @Option(names = "--offline",
            description = "Do not contact the server: follow the graph's single head instead.")
    boolean offline;

    @Override
    public Integer call() {
        Settings settings = top.settings();
        MigrationSet migrations = MigrationSet.load(settings.versions());
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
            parents = graphHead(migrations);
        } else {
            try (Session session = Session.open(settings, spec.commandLine().getErr())) {
                parents = serverHead(migrations, Status.read(migrations, session.store()), settings.namespace());
                server = session.serverName();
            }
        }
        GeneratedMigration written = generator.write(
                new NewMigration(name, message, revId, parents, false, identity.userAtHost()));
        Generated.report(written, false, settings, server, identity, offline, spec);
        return 0;
    }

    /** The head a new migration follows when the server is not asked: the graph's only head. */
    static List<String> graphHead(MigrationSet migrations) {
        List<Revision> heads = migrations.graph().heads();
        if (heads.size() > 1) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "the migrations have " + heads.size()
                    + " heads (" + heads.stream().map(Formats::label).collect(Collectors.joining(", "))
                    + "): a new migration cannot follow them all; join them first with `fhirmig merge`");
        }
        return heads.stream().map(Revision::id).toList();
    }

    /** The head a new migration follows: the server's, once everything is applied there. */
    private static List<String> serverHead(MigrationSet migrations, Status status, String namespace) {
        List<MigrationScript> pending = status.pending();
        if (!pending.isEmpty()) {
            String names = pending.stream().limit(SHOWN).map(MigrationScript::fileName)
                    .collect(Collectors.joining(", "))
                    + (pending.size() > SHOWN ? " and " + (pending.size() - SHOWN) + " more" : "");
            throw new FhirmigException(FhirmigException.Kind.USAGE, "the server has "
                    + (pending.size() == 1 ? "an unapplied migration" : pending.size() + " unapplied migrations")
                    + " in namespace '" + namespace + "': " + names + "; run `fhirmig upgrade` first"
                    + " (or use --offline to follow the graph's head without asking the server)");
        }
        if (status.heads().size() > 1) {
            return graphHead(migrations);
        }
        return status.heads();
    }
}
