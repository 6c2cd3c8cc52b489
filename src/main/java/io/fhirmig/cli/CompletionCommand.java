package io.fhirmig.cli;

import io.fhirmig.api.FhirmigException;
import picocli.AutoComplete;

/** {@code completion bash|zsh}: a script that completes fhirmig's commands and options in the shell. */
final class CompletionCommand extends Subcommand {

    String shell;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "completion",
                        "Print a script that completes fhirmig's commands and options in bash or zsh.",
                        "Load it from your shell's start-up file, e.g. in ~/.bashrc or ~/.zshrc:",
                        "  source <(fhirmig completion bash)")
                .positional("SHELL", "1", null, String.class, "bash or zsh.", () -> shell, v -> shell = v);
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "no completion for '" + shell
                    + "': fhirmig completes in bash and zsh");
        }
        // picocli's script is for bash, and loads bash's completion into zsh (bashcompinit) when run there.
        out().print(AutoComplete.bash("fhirmig", spec.commandLine().getParent()));
        out().flush();
        return 0;
    }
}
