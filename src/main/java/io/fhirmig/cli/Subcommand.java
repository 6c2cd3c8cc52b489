package io.fhirmig.cli;

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

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
