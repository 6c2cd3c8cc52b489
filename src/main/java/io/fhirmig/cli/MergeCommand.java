package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import java.util.ArrayList;
import java.util.List;

/** {@code merge [REV...]}: a migration that joins heads of the graph into one. Works on the files only. */
final class MergeCommand extends SessionCommand {

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
                        () -> message, v -> message = v)
                .flag("--json", "Print JSON (the path, revision, parents and template) instead of the path.",
                        () -> json, v -> json = v);
    }

    @Override
    boolean contactsServer() {
        return false;
    }

    @Override
    int run(Fhirmig fhirmig) {
        Generated.report(fhirmig.merge(revisions, message), null, json, out(), err());
        return 0;
    }
}
