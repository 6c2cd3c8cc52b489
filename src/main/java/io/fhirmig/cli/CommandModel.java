package io.fhirmig.cli;

import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * A command's picocli model, written out in code and bound to the command's own fields. picocli
 * reads annotations by reflection: for the top command and one subcommand, that was a seventh of a
 * short command's CPU (every class up to {@code Object} asked for its methods and fields, seven
 * annotation proxy classes spun at run time, which the start-up archive cannot hold). Each command
 * describes itself in its {@code describe()} method; the help and the error messages are picocli's, as
 * before.
 */
final class CommandModel {

    private final CommandSpec spec;

    private CommandModel(Object command, String name, String... description) {
        spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(name);
        spec.usageMessage().description(description);
    }

    /**
     * Starts the model of a command.
     *
     * @param command the object whose {@code call()} picocli runs when the command is chosen
     * @param name the command's name
     * @param description the description's lines; the first is the command's line in the top help
     * @return the model, to add options to
     */
    static CommandModel of(Object command, String name, String... description) {
        return new CommandModel(command, name, description);
    }

    /** Adds an option that takes no value: given, it sets {@code true}. */
    CommandModel flag(String name, String description, Supplier<Boolean> get, Consumer<Boolean> set) {
        return add(OptionSpec.builder(name).type(boolean.class), description, get, set);
    }

    /** Adds an option hidden from the help. */
    CommandModel hiddenFlag(String name, Supplier<Boolean> get, Consumer<Boolean> set) {
        return add(OptionSpec.builder(name).type(boolean.class).hidden(true), null, get, set);
    }

    /** Adds an option that takes a value, hidden from the help (for fhirmig's own use). */
    <T> CommandModel hiddenOption(String name, Class<T> type, Supplier<T> get, Consumer<T> set) {
        return add(OptionSpec.builder(name).type(type).hidden(true), null, get, set);
    }

    /**
     * Adds an option that takes a value, converted to {@code type} by picocli.
     *
     * @param names the option's names, short first
     * @param label what the help calls its value
     * @param defaultValue the value when the option is not given (shown by {@code ${DEFAULT-VALUE}}), or null
     */
    <T> CommandModel option(String[] names, String label, Class<T> type, String defaultValue, String description,
            Supplier<T> get, Consumer<T> set) {
        return add(OptionSpec.builder(names).type(type).paramLabel(label).defaultValue(defaultValue), description,
                get, set);
    }

    /** Like {@link #option} with one name and no default. */
    <T> CommandModel option(String name, String label, Class<T> type, String description, Supplier<T> get,
            Consumer<T> set) {
        return option(new String[] {name}, label, type, null, description, get, set);
    }

    /** Adds an option that every subcommand has too, before or after its name; it takes a value. */
    <T> CommandModel inherited(String name, String label, Class<T> type, String description, Supplier<T> get,
            Consumer<T> set) {
        return add(OptionSpec.builder(name).type(type).paramLabel(label).scopeType(ScopeType.INHERIT),
                description, get, set);
    }

    /** Adds an option given any number of times, each value converted to {@code element}; collected in a list or map. */
    <T> CommandModel repeatable(String[] names, String label, Class<T> type, Class<?>[] elements, boolean inherited,
            String description, Supplier<T> get, Consumer<T> set) {
        OptionSpec.Builder option = OptionSpec.builder(names).type(type).auxiliaryTypes(elements).paramLabel(label);
        if (inherited) {
            option.scopeType(ScopeType.INHERIT);
        }
        return add(option, description, get, set);
    }

    /**
     * Adds an option that every subcommand has too, which takes no value and whose setter acts at
     * once (-v, -q): it is called only when the option is given, never to reset it.
     */
    CommandModel inheritedSwitch(String[] names, String description, Supplier<Boolean> get, Consumer<Boolean> set) {
        Binding<Boolean> binding = new Binding<>(get, set);
        spec.addOption(OptionSpec.builder(names).type(boolean.class).scopeType(ScopeType.INHERIT)
                .description(description).hasInitialValue(false).getter(binding).setter(binding).build());
        return this;
    }

    /**
     * Adds a positional parameter.
     *
     * @param label what the help and the errors call it
     * @param arity e.g. "1" (required), "0..1" (optional), "0..*" (any number)
     * @param defaultValue its value when not given, or null
     * @param type its type; for "0..*", {@code List} of {@code String}
     */
    <T> CommandModel positional(String label, String arity, String defaultValue, Class<T> type, String description,
            Supplier<T> get, Consumer<T> set) {
        // Required when it needs a value, as picocli decides for an annotated parameter.
        PositionalParamSpec.Builder parameter = PositionalParamSpec.builder().paramLabel(label).arity(arity)
                .required(CommandLine.Range.valueOf(arity).min() > 0).defaultValue(defaultValue).type(type);
        if (type == java.util.List.class) {
            parameter.auxiliaryTypes(String.class);
        }
        if (description != null) {
            parameter.description(description);
        }
        Binding<T> binding = new Binding<>(get, set);
        spec.addPositional(parameter.initialValue(get.get()).getter(binding).setter(binding).build());
        return this;
    }

    /**
     * Ends the model with -h/--help and -V/--version, as picocli's standard help options (which it
     * would otherwise build from annotations).
     *
     * @return picocli's model of the command
     */
    CommandSpec withHelp() {
        spec.versionProvider(new VersionProvider());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    private <T> CommandModel add(OptionSpec.Builder option, String description, Supplier<T> get, Consumer<T> set) {
        if (description != null) {
            option.description(description);
        }
        // The field's value now is what picocli resets it to before a parse, as for an annotated field.
        Binding<T> binding = new Binding<>(get, set);
        spec.addOption(option.initialValue(get.get()).getter(binding).setter(binding).build());
        return this;
    }

    /** Reads and writes a command's field for picocli. */
    private static final class Binding<V> implements IGetter, ISetter {

        private final Supplier<V> get;
        private final Consumer<V> set;

        Binding(Supplier<V> get, Consumer<V> set) {
            this.get = get;
            this.set = set;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) get.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T value) {
            T old = get();
            set.accept((V) value);
            return old;
        }
    }
}
