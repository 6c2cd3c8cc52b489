package io.fhirmig.cli;

import groovy.json.JsonOutput;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that works with the migrations and the server; subclasses implement {@link #run(Session)}. */
abstract class SessionCommand implements Callable<Integer> {

    @ParentCommand
    FhirmigCommand top;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        Settings settings = top.settings();
        try (Session session = Session.open(settings, err())) {
            return run(session);
        }
    }

    abstract int run(Session session);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(Object value) {
        out().println(JsonOutput.prettyPrint(JsonOutput.toJson(value)));
        out().flush();
    }
}
