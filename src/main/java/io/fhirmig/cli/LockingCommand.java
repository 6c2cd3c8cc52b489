package io.fhirmig.cli;

import io.fhirmig.Fhirmig;

/** A command that takes the namespace's lock: its lock options (and, for runs, the scripts') reach the builder. */
abstract class LockingCommand extends SessionCommand {

    final RunCommandOptions runOptions = new RunCommandOptions();

    @Override
    final Fhirmig.Builder configure(Fhirmig.Builder builder) {
        return runOptions.applyTo(builder, top);
    }
}
