package io.fhirmig.cli;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.generate.GeneratedMigration;
import io.fhirmig.generate.Generator;
import io.fhirmig.generate.MigrationTemplate;
import io.fhirmig.generate.NewMigration;
import io.fhirmig.graph.Revision;
import io.fhirmig.graph.RevisionGraph;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.run.RunIdentity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code merge [REV...]}: a migration that joins heads of the graph into one. Works on the files only. */
final class MergeCommand extends Subcommand {

    List<String> revisions = new ArrayList<>();

    String message;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "merge",
                        "Write a merge migration whose downRevision lists the given heads (default: every head"
                                + " of the graph), joining them into one head. Its upgrade() and downgrade() are empty.",
                        "Works on the migration files only; no server is contacted. Prints the path written.")
                .positional("REV", "0..*", null, List.class,
                        "Heads to merge: revision ids or unique prefixes (default: all heads).",
                        () -> revisions, v -> revisions = v)
                .option(new String[] {"-m", "--message"}, "MESSAGE", String.class, null,
                        "What the merge is for; its description (default: merge and the heads' ids).",
                        () -> message, v -> message = v);
    }

    @Override
    public Integer call() {
        Settings settings = top.settings();
        MigrationSet migrations = MigrationSet.load(settings.versions(), settings.scriptCache());
        RevisionGraph graph = migrations.graph();
        List<String> parents = revisions.isEmpty() ? allHeads(graph) : givenHeads(graph);
        MigrationTemplate template = MigrationTemplate.find(settings.templates(), settings.templatesConfigured());
        Generator generator = new Generator(settings.versions(), graph, template);
        RunIdentity identity = RunIdentity.current();
        String text = message != null ? message : "merge " + String.join(", ", parents);
        GeneratedMigration written = generator.write(
                new NewMigration(generator.mergeName(parents), text, null, parents, true, identity.userAtHost()));
        Generated.report(written, true, settings, null, identity, true, spec);
        return 0;
    }

    private static List<String> allHeads(RevisionGraph graph) {
        List<Revision> heads = graph.heads();
        if (heads.isEmpty()) {
            throw usage("nothing to merge: there are no migrations yet");
        }
        if (heads.size() == 1) {
            throw usage("nothing to merge: the migrations have one head, " + Formats.label(heads.get(0)));
        }
        return heads.stream().map(Revision::id).toList();
    }

    private List<String> givenHeads(RevisionGraph graph) {
        Set<String> parents = new LinkedHashSet<>();
        for (String given : revisions) {
            Revision revision = graph.resolve(given);
            List<Revision> children = graph.children(revision.id());
            if (!children.isEmpty()) {
                throw usage(Formats.label(revision) + " is not a head: " + children.stream().map(Formats::label)
                        .collect(Collectors.joining(", ")) + " already follow" + (children.size() == 1 ? "s" : "")
                        + " it; merge joins heads (see `fhirmig heads`)");
            }
            parents.add(revision.id());
        }
        if (parents.size() < 2) {
            throw usage("a merge joins at least two heads; " + (parents.size() == 1 ? "only one was given" : "none was given")
                    + " (the heads are: " + graph.heads().stream().map(Formats::label).collect(Collectors.joining(", "))
                    + ")");
        }
        return List.copyOf(parents);
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
