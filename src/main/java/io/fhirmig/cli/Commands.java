package io.fhirmig.cli;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * fhirmig's commands, in the order {@code --help} lists them. picocli builds a command's model from
 * its annotations by reflection, which for all fifteen takes a good part of a short command's
 * start: so a command line that names its command gets only that one, and every other (no
 * command, an unknown one, help) gets all of them, for the listing and the "did you mean".
 */
final class Commands {

    private static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("upgrade", UpgradeCommand::new);
        ALL.put("downgrade", DowngradeCommand::new);
        ALL.put("current", CurrentCommand::new);
        ALL.put("history", HistoryCommand::new);
        ALL.put("heads", HeadsCommand::new);
        ALL.put("show", ShowCommand::new);
        ALL.put("check", CheckCommand::new);
        ALL.put("stamp", StampCommand::new);
        ALL.put("reset", ResetCommand::new);
        ALL.put("unlock", UnlockCommand::new);
        ALL.put("repair", RepairCommand::new);
        ALL.put("init", InitCommand::new);
        ALL.put("generate", GenerateCommand::new);
        ALL.put("merge", MergeCommand::new);
        ALL.put("serve", ServeCommand::new);
    }

    private Commands() {}

    /**
     * The command the arguments seem to name before picocli parses them: the first argument that is a
     * command's name. An option's value that happens to be one is taken for it, so this serves only
     * work that a wrong guess makes wasted, never wrong (see {@link EarlyReading}, {@link WarmUp}).
     *
     * @return the name, or null
     */
    static String guessNamed(String... args) {
        for (String arg : args) {
            if (ALL.containsKey(arg)) {
                return arg;
            }
        }
        return null;
    }

    /** {@return whether the named command reads the migrations and the server through a {@link Session}} */
    static boolean usesSession(String name) {
        Supplier<Object> command = ALL.get(name);
        return command != null && command.get() instanceof SessionCommand;
    }

    static void register(CommandLine top, String... args) {
        if (Main.asksForVersionOnly(args)) {
            return; // the version needs no command's model: a sixth of its start
        }
        String named = commandNamed(top, args);
        for (Map.Entry<String, Supplier<Object>> command : ALL.entrySet()) {
            if (named == null || named.equals(command.getKey())) {
                top.addSubcommand(command.getKey(), command.getValue().get());
            }
        }
    }

    /** The command the arguments name: the first that is neither an option nor an option's value. */
    private static String commandNamed(CommandLine top, String... args) {
        Set<String> takingValues = new HashSet<>();
        for (OptionSpec option : top.getCommandSpec().options()) {
            if (option.arity().max() > 0) {
                takingValues.addAll(java.util.List.of(option.names()));
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (takingValues.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return ALL.containsKey(arg) ? arg : null;
            }
        }
        return null;
    }
}
