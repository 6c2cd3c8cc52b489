package io.fhirmig.cli;

import io.fhirmig.Fhirmig;

/**
 * {@code generate NAME}: writes the next migration script from the template, following the head
 * the server has applied. Like the original tool it refuses while the server has a migration that
 * is not applied yet (exit 2: run {@code upgrade} first), because a migration written on top of an
 * unapplied one would be planned against data the writer has never seen.
 */
final class GenerateCommand extends SessionCommand {

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
                        () -> offline, v -> offline = v)
                .flag("--json", "Print JSON (the path, revision, parents and template) instead of the path.",
                        () -> json, v -> json = v);
    }

    @Override
    boolean contactsServer() {
        return !offline;
    }

    @Override
    int run(Fhirmig fhirmig) {
        Generated.report(fhirmig.generate(name, message, revId, offline), name, json, out(), err());
        return 0;
    }
}
