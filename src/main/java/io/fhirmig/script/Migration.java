package io.fhirmig.script;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * One compiled and loaded migration script, ready to run its {@code upgrade()} or
 * {@code downgrade()}. Made by {@link ScriptCompiler#compile(MigrationScript, ScriptBindings)}.
 */
public final class Migration implements AutoCloseable {

    private final MigrationScript script;
    private final MigrationFunctions functions;
    private final ClassLoader loader;
    private final List<Class<?>> classes;

    Migration(MigrationScript script, MigrationFunctions functions, ClassLoader loader, List<Class<?>> classes) {
        this.script = Objects.requireNonNull(script, "script");
        this.functions = Objects.requireNonNull(functions, "functions");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.classes = List.copyOf(classes);
    }

    /**
     * Lets go of the script's classes: Groovy keeps each class's meta-class (hundreds of objects)
     * in global registries, so a run of thousands of steps would otherwise keep thousands of them
     * and spend its time collecting garbage. The migration cannot run after this.
     */
    @Override
    public void close() {
        for (Class<?> type : classes) {
            InvokerHelper.removeClass(type);
        }
    }

    /** {@return the script this migration was compiled from} */
    public MigrationScript script() {
        return script;
    }

    /**
     * Runs the script's {@code upgrade()}.
     *
     * @throws MigrationFailedException if it throws, naming the file and line
     */
    public void upgrade() {
        run("upgrade()", functions::upgrade);
    }

    /**
     * Runs the script's {@code downgrade()}.
     *
     * @throws MigrationFailedException if it throws, naming the file and line
     */
    public void downgrade() {
        run("downgrade()", functions::downgrade);
    }

    private void run(String function, Runnable call) {
        runScriptCode(script.fileName(), function, loader, () -> {
            call.run();
            return null;
        });
    }

    /**
     * Runs a script's code with the scripts' loader as the thread's context loader, and turns what
     * the script threw into a failure naming its file and line.
     *
     * @param fileName the script's file name
     * @param function what runs, e.g. {@code upgrade()}
     * @param loader the scripts' class loader
     * @param code the script's code
     * @return what the code returned
     * @throws MigrationFailedException if the code throws
     */
    static <T> T runScriptCode(String fileName, String function, ClassLoader loader, Supplier<T> code) {
        try (ScriptThread ignored = ScriptThread.enter(loader)) {
            return code.get();
        } catch (VirtualMachineError e) {
            // The JVM is in trouble, not the script; only a stack overflow is the script's doing.
            if (!(e instanceof StackOverflowError)) {
                throw e;
            }
            throw FailureLocator.failure(fileName, function, e);
        } catch (RuntimeException | Error e) {
            // A script's assert raises an Error, and checked exceptions arrive wrapped as runtime ones.
            throw FailureLocator.failure(fileName, function, e);
        }
    }

    @Override
    public String toString() {
        return "Migration[" + script.fileName() + "]";
    }
}
