package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.GeneratedScript;
import io.fhirmig.api.Remedy;
import io.fhirmig.generate.GeneratedMigration;
import io.fhirmig.generate.Generator;
import io.fhirmig.generate.MigrationTemplate;
import io.fhirmig.generate.NewMigration;
import io.fhirmig.graph.Revision;
import io.fhirmig.graph.RevisionGraph;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes new migration scripts from the template: the next migration after the server's head, or a
 * merge of heads; each written script is audited.
 */
public final class NewScripts {

    private final Workspace workspace;
    private final Path templates;
    private final boolean templatesConfigured;

    /**
     * @param templatesConfigured whether the templates folder was set rather than defaulted: a folder
     *     that was set must hold the template
     */
    public NewScripts(Workspace workspace, Path templates, boolean templatesConfigured) {
        this.workspace = workspace;
        this.templates = templates;
        this.templatesConfigured = templatesConfigured;
    }

    /**
     * Writes the next migration. Like the original tool it refuses while the server has a migration
     * that is not applied yet: a migration written on top of an unapplied one would be planned against
     * data its writer has never seen.
     *
     * @param message its description, or null for the name with spaces
     * @param revisionId its revision id, or null for a new random one
     * @param offline follow the graph's single head instead of asking the server
     */
    public GeneratedScript generate(String name, String message, String revisionId, boolean offline) {
        MigrationSet migrations = workspace.migrations();
        Generator generator = new Generator(workspace.versions(), migrations.graph(),
                MigrationTemplate.find(templates, templatesConfigured));
        generator.checkName(name);
        if (revisionId != null) {
            generator.checkRevisionId(revisionId);
        }
        List<String> parents = offline ? Status.graphHead(migrations)
                : Status.read(() -> migrations, workspace::state, workspace.adoption())
                        .parentsOfNewMigration(migrations, workspace.namespace());
        return written(generator.write(new NewMigration(name, message, revisionId, parents, false,
                workspace.identity().userAtHost())), false, offline);
    }

    /**
     * Writes a merge migration whose downRevision lists the given heads, joining them into one. Works
     * on the files only.
     *
     * @param revisions heads to merge (ids or unique prefixes); empty for every head of the graph
     * @param message its description, or null for "merge" and the heads' ids
     */
    public GeneratedScript merge(List<String> revisions, String message) {
        MigrationSet migrations = workspace.migrations();
        RevisionGraph graph = migrations.graph();
        List<String> parents = revisions.isEmpty() ? allHeads(graph) : givenHeads(graph, revisions);
        Generator generator = new Generator(workspace.versions(), graph, MigrationTemplate.find(templates, templatesConfigured));
        String text = message != null ? message : "merge " + String.join(", ", parents);
        return written(generator.write(new NewMigration(generator.mergeName(parents), text, null, parents, true,
                workspace.identity().userAtHost())), true, true);
    }

    private GeneratedScript written(GeneratedMigration written, boolean merge, boolean offline) {
        workspace.reload();
        new AuditLog(workspace.namespace(), offline ? null : workspace.serverName(), workspace.identity())
                .generated(written, merge, offline);
        return new GeneratedScript(written.name(), written.file(), written.revision(), written.downRevisions(), written.template());
    }

    private static List<String> allHeads(RevisionGraph graph) {
        List<Revision> heads = graph.heads();
        if (heads.isEmpty()) {
            throw usage("nothing to merge: there are no migrations yet");
        }
        if (heads.size() == 1) {
            throw usage("nothing to merge: the migrations have one head, " + label(heads.get(0)));
        }
        return heads.stream().map(Revision::id).toList();
    }

    private static List<String> givenHeads(RevisionGraph graph, List<String> revisions) {
        Set<String> parents = new LinkedHashSet<>();
        for (String given : revisions) {
            Revision revision = graph.resolve(given);
            List<Revision> children = graph.children(revision.id());
            if (!children.isEmpty()) {
                throw new FhirmigException(FhirmigException.Kind.USAGE, label(revision) + " is not a head: "
                        + children.stream().map(NewScripts::label).collect(Collectors.joining(", ")) + " already follow"
                        + (children.size() == 1 ? "s" : "") + " it", Remedy.MERGE_HEADS_ONLY, null);
            }
            parents.add(revision.id());
        }
        if (parents.size() < 2) {
            throw usage("a merge joins at least two heads; " + (parents.size() == 1 ? "only one was given" : "none was given")
                    + " (the heads are: " + graph.heads().stream().map(NewScripts::label).collect(Collectors.joining(", "))
                    + ")");
        }
        return List.copyOf(parents);
    }

    /** "id (file)", the way messages name a revision. */
    private static String label(Revision revision) {
        return revision.id() + " (" + revision.file() + ")";
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
