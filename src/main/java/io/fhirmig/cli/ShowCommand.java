package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.MigrationInfo;
import io.fhirmig.api.RevisionInfo;
import io.fhirmig.api.ServerText;

final class ShowCommand extends SessionCommand {

    String revision;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "show",
                        "Show one revision: its file, parents, children, checksum, and when it was applied.")
                .positional("REV", "1", null, String.class, "A revision or unique prefix.",
                        () -> revision, v -> revision = v)
                .flag("--json", JSON, () -> json, v -> json = v);
    }

    @Override
    boolean readsStateFirst() {
        return true;
    }

    @Override
    int run(Fhirmig fhirmig) {
        RevisionInfo found = fhirmig.show(revision);
        if (json) {
            printJson(found);
            return 0;
        }
        out().println("revision:      " + found.revision());
        out().println("file:          " + found.file());
        out().println("description:   " + (found.description() == null ? "" : found.description()));
        out().println("downRevision:  " + (found.downRevisions().isEmpty() ? "(none: a root)" : String.join(", ", found.downRevisions())));
        out().println("children:      " + String.join(", ", found.children()));
        out().println("transactional: " + found.transactional());
        out().println("checksum:      " + found.checksum());
        MigrationInfo record = found.record();
        if (found.applied()) {
            out().println("applied:       " + (record == null ? "yes (no record)"
                    : record.appliedAt() + " by " + ServerText.clean(record.appliedBy()) + " in "
                    + record.duration().toMillis() + " ms"));
        } else {
            out().println("applied:       no");
        }
        return 0;
    }
}
