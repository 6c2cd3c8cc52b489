package io.fhirmig.cli;

import io.fhirmig.util.ServerText;
import io.fhirmig.graph.Revision;
import io.fhirmig.run.MigrationSet;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import java.util.Set;

final class ShowCommand extends SessionCommand {

    String revision;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "show",
                        "Show one revision: its file, parents, children, checksum, and when it was applied.")
                .positional("REV", "1", null, String.class, "A revision or unique prefix.",
                        () -> revision, v -> revision = v);
    }

    @Override
    boolean readsStateFirst() {
        return true;
    }

    @Override
    int run(Session session) {
        MigrationSet migrations = session.migrations();
        Revision found = migrations.graph().resolve(revision);
        MigrationScript script = migrations.script(found.id());
        Set<String> applied = migrations.graph().appliedSet(session.readState().heads());
        out().println("revision:      " + found.id());
        out().println("file:          " + script.fileName());
        out().println("description:   " + (script.description() == null ? "" : script.description()));
        out().println("downRevision:  " + (found.downRevisions().isEmpty() ? "(none: a root)" : String.join(", ", found.downRevisions())));
        out().println("children:      " + String.join(", ", migrations.graph().children(found.id()).stream().map(Revision::id).toList()));
        out().println("transactional: " + script.transactional());
        out().println("checksum:      " + script.checksum());
        AppliedRecord record = session.store().appliedRecords().stream()
                .filter(r -> r.revision().equals(found.id())).findFirst().orElse(null);
        if (applied.contains(found.id())) {
            out().println("applied:       " + (record == null ? "yes (no record)"
                    : record.appliedAt() + " by " + ServerText.clean(record.appliedBy()) + " in " + record.durationMs() + " ms"));
        } else {
            out().println("applied:       no");
        }
        return 0;
    }
}
