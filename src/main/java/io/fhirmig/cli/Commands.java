package io.fhirmig.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * fhirmig's commands, in the order {@code --help} lists them. Each builds its picocli model when
 * added ({@link Subcommand#model}), and eighteen of them are a good part of a short command's start:
 * so a command line that names its command gets only that one, and every other (no command, an
 * unknown one, help) gets all of them, for the listing and the "did you mean".
 */
final class Commands {

    private static final List<String> ALL = List.of("upgrade", "downgrade", "current", "status", "history", "heads", "show",
            "check", "verify", "stamp", "reset", "adopt", "unlock", "repair", "init", "generate", "merge", "serve");

    /**
     * A new command object; a switch rather than a table of constructor references, each of which is
     * linked on first use, at the start of every command.
     */
    private static Subcommand newCommand(String name) {
        return switch (name) {
            case "upgrade" -> new UpgradeCommand();
            case "downgrade" -> new DowngradeCommand();
            case "current" -> new CurrentCommand();
            case "status" -> new StatusCommand();
            case "history" -> new HistoryCommand();
            case "heads" -> new HeadsCommand();
            case "show" -> new ShowCommand();
            case "check" -> new CheckCommand();
            case "verify" -> new VerifyCommand();
            case "stamp" -> new StampCommand();
            case "reset" -> new ResetCommand();
            case "adopt" -> new AdoptCommand();
            case "unlock" -> new UnlockCommand();
            case "repair" -> new RepairCommand();
            case "init" -> new InitCommand();
            case "generate" -> new GenerateCommand();
            case "merge" -> new MergeCommand();
            case "serve" -> new ServeCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    private Commands() {}

    static void register(CommandLine top, String... args) {
        if (Main.asksForVersionOnly(args)) {
            return; // the version needs no command's model: a sixth of its start
        }
        FhirmigCommand fhirmig = (FhirmigCommand) top.getCommand();
        String named = commandNamed(top, args);
        for (String name : ALL) {
            if (named == null || named.equals(name)) {
                add(top, name, newCommand(name).model(fhirmig));
            }
        }
        if (named == null) {
            // They work on the others' models, so they come only with all of them.
            add(top, "help", new HelpCommand().model(fhirmig));
            add(top, "completion", new CompletionCommand().model(fhirmig));
        }
    }

    /**
     * Adds a command whose help lists only its own options: the top command's, which it takes too
     * (before or after its name), are listed once, in {@code fhirmig --help}.
     */
    private static void add(CommandLine top, String name, CommandSpec command) {
        top.addSubcommand(name, command);
        CommandSpec added = top.getSubcommands().get(name).getCommandSpec();
        for (OptionSpec option : List.copyOf(added.options())) {
            if (option.inherited() && !option.hidden()) {
                added.remove(option);
                added.addOption(option.toBuilder().hidden(true).build());
            }
        }
    }

    /** The command the arguments name: the first that is neither an option nor an option's value. */
    private static String commandNamed(CommandLine top, String... args) {
        Set<String> takingValues = new HashSet<>();
        for (OptionSpec option : top.getCommandSpec().options()) {
            if (option.arity().max() > 0) {
                takingValues.addAll(List.of(option.names()));
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (takingValues.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return ALL.contains(arg) ? arg : null;
            }
        }
        return null;
    }
}
