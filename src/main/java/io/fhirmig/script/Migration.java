package io.fhirmig.script;

import java.util.List;
import java.util.Objects;
import javax.script.Invocable;
import javax.script.ScriptException;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * One compiled and loaded migration script, ready to run its {@code upgrade()} or
 * {@code downgrade()}, which are called through its script engine's {@link Invocable}. Made by
 * {@link ScriptCompiler#compile(MigrationScript, ScriptBindings)}.
 */
public final class Migration implements AutoCloseable {

    private final MigrationScript script;
    private final Invocable engine;
    private final Class<?> scriptClass;
    private final ClassLoader loader;
    private final List<Class<?>> classes;

    Migration(MigrationScript script, Invocable engine, Class<?> scriptClass, ClassLoader loader,
            List<Class<?>> classes) {
        this.script = Objects.requireNonNull(script, "script");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.scriptClass = scriptClass;
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
        run("upgrade");
    }

    /**
     * Runs the script's {@code downgrade()}.
     *
     * @throws MigrationFailedException if it throws, naming the file and line
     */
    public void downgrade() {
        run("downgrade");
    }

    private void run(String function) {
        runScriptCode(script.fileName(), function + "()", loader,
                () -> ScriptFunctions.call(scriptClass, function, () -> engine.invokeFunction(function)));
    }

    /**
     * A script's code, run by {@link #runScriptCode}.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    interface ScriptCode<T> {
        /**
         * @return what the code returned
         * @throws ScriptException what the engine wrapped the script's error in
         * @throws NoSuchMethodException if the engine finds no such function
         */
        T run() throws ScriptException, NoSuchMethodException;
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
    static <T> T runScriptCode(String fileName, String function, ClassLoader loader, ScriptCode<T> code) {
        try (ScriptThread ignored = ScriptThread.enter(loader)) {
            return code.run();
        } catch (ScriptException | NoSuchMethodException e) {
            throw FailureLocator.failure(fileName, function, e);
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
