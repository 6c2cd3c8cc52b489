package io.fhirmig.cli;

import io.fhirmig.api.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** One of fhirmig's commands ({@link Commands}): it describes its own options to picocli, and runs. */
abstract class Subcommand implements Callable<Integer> {

    /** The top command: its options, which every command inherits, give the settings. */
    FhirmigCommand top;
    /** picocli's model of this command, whose command line holds the output writers. */
    CommandSpec spec;

    /**
     * {@return the command's picocli model, bound to this object's fields}
     *
     * @param top the top command, whose options the command inherits and whose settings it uses
     */
    final CommandSpec model(FhirmigCommand top) {
        this.top = top;
        spec = describe().withHelp();
        spec.usageMessage().footer("", "Global options (--url, --versions, --namespace, -v, ...): see 'fhirmig --help'.");
        return spec;
    }

    /** {@return the command's name, description and options} */
    abstract CommandModel describe();

    static final String JSON = "Print JSON.";

    /** Print the result (or the error) as JSON on standard output. */
    boolean json;

    /** {@return the model, with --json added} */
    CommandModel withJson(CommandModel model) {
        return model.flag("--json", JSON, () -> json, v -> json = v);
    }

    /** Prints a result (a record of the library's, or a map of them) as JSON on standard output. */
    void printJson(Object value) {
        out().println(Json.pretty(value));
        out().flush();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
