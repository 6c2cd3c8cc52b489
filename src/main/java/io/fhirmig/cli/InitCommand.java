package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.InitResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code init [DIR]}: a new project's versions folder, template and settings file. */
final class InitCommand extends Subcommand {

    Path dir;

    @Override
    CommandModel describe() {
        return withJson(CommandModel.of(this, "init",
                        "Create DIR/versions/, DIR/templates/migration.groovy.template (the default template),"
                                + " a commented DIR/fhirmig.properties and an empty DIR/fixtures/ (for verify).",
                        "Refuses (exit 2, writing nothing) if any of them exists already.")
                .positional("DIR", "0..1", ".", Path.class,
                        "The project folder (default: the current folder); created if missing.",
                        () -> dir, v -> dir = v));
    }

    @Override
    public Integer call() {
        InitResult result = Fhirmig.init(dir);
        if (json) {
            printJson(result);
            return 0;
        }
        PrintWriter out = out();
        for (Path created : result.created()) {
            out.println("created " + created + (Files.isDirectory(created) ? "/" : ""));
        }
        for (Path updated : result.updated()) {
            out.println("added .fhirmig/ to " + updated);
        }
        String cd = dir.normalize().toString().isEmpty() ? "" : "cd " + dir + " && ";
        out.println("next: " + cd + "fhirmig generate NAME    (edit fhirmig.properties to point at your FHIR server)");
        out.flush();
        return 0;
    }
}
