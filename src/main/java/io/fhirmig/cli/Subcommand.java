package io.fhirmig.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** One of fhirmig's commands ({@link Commands}): it describes its own options to picocli and runs. */
interface Subcommand extends Callable<Integer> {

    /**
     * {@return the command's picocli model, bound to this object's fields}
     *
     * @param top the top command, whose options the command inherits and whose settings it uses
     */
    CommandSpec model(FhirmigCommand top);
}
