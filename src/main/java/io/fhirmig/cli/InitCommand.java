package io.fhirmig.cli;

import io.fhirmig.generate.ProjectInit;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code init [DIR]}: a new project's versions folder, template and settings file. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create DIR/versions/, DIR/templates/migration.groovy.template (the default template)"
                + " and a commented DIR/fhirmig.properties.",
            "Refuses (exit 2, writing nothing) if any of them exists already."})
final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "The project folder (default: the current folder); created if missing.")
    Path dir;

    @Override
    public Integer call() {
        ProjectInit.Result result = ProjectInit.init(dir);
        PrintWriter out = spec.commandLine().getOut();
        for (Path created : result.created()) {
            out.println("created " + created + (Files.isDirectory(created) ? "/" : ""));
        }
        String cd = dir.normalize().toString().isEmpty() ? "" : "cd " + dir + " && ";
        out.println("next: " + cd + "fhirmig generate NAME    (edit fhirmig.properties to point at your FHIR server)");
        out.flush();
        return 0;
    }
}
