package io.fhirmig.script;

import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.jsr223.GroovyScriptEngineImpl;

/**
 * Compiles and loads migration scripts through JSR-223, one script engine per script.
 *
 * <p>One engine per script because Groovy's engine keeps the functions of every script it has
 * evaluated in one engine-wide map: with a shared engine, a later script's {@code upgrade()}
 * would replace an earlier one's. The engines share one class loader, which carries the
 * {@linkplain DefaultImports default imports}. Safe to use from several threads.
 */
public final class ScriptCompiler {

    private static final String TOP_LEVEL = "the script's top-level code";

    private final CachingClassLoader loader;
    private final boolean ownsRuntime;

    /** Creates a compiler whose scripts see the classes of fhirmig's own class loader; nothing is cached. */
    public ScriptCompiler() {
        this(ScriptCompiler.class.getClassLoader());
    }

    /**
     * Creates a compiler whose scripts see the classes of fhirmig's own class loader, and which
     * keeps what it compiles in the cache (and loads it from there when it can). It is meant for a
     * JVM that runs migrations and little else: it switches off Groovy's search for custom
     * meta-classes ({@code groovy.runtime.metaclass.*MetaClass}) in this JVM, which otherwise scans
     * the whole class path for every new script class.
     *
     * @param cache where compiled scripts are kept
     */
    public ScriptCompiler(ScriptCache cache) {
        this(ScriptCompiler.class.getClassLoader(), cache);
    }

    /**
     * Creates a compiler whose scripts see the classes of the given class loader; nothing is cached,
     * since what a script compiles to depends on the classes its loader sees.
     *
     * @param parent the class loader scripts load their classes from
     */
    public ScriptCompiler(ClassLoader parent) {
        this(parent, ScriptCache.none());
    }

    private ScriptCompiler(ClassLoader parent, ScriptCache cache) {
        CompilerConfiguration configuration = new CompilerConfiguration();
        configuration.setSourceEncoding("UTF-8");
        configuration.addCompilationCustomizers(DefaultImports.customizer());
        this.loader = new CachingClassLoader(parent, configuration, cache.classes());
        this.ownsRuntime = cache.enabled();
    }

    /**
     * Compiles a script and runs its top-level code (its header assignments), so that its
     * functions can be called.
     *
     * @param script the script to compile
     * @param bindings the variables the script sees
     * @return the loaded migration
     * @throws InvalidScriptsException if the script does not compile, e.g. a class it names does
     *     not exist
     * @throws MigrationFailedException if its top-level code throws
     */
    public Migration compile(MigrationScript script, ScriptBindings bindings) {
        if (ownsRuntime) {
            GroovyRuntime.tuneOnce();
        }
        GroovyScriptEngineImpl engine = new GroovyScriptEngineImpl(loader);
        ScriptContext context = new SimpleScriptContext();
        context.setBindings(engine.createBindings(), ScriptContext.ENGINE_SCOPE);
        context.getBindings(ScriptContext.ENGINE_SCOPE).putAll(bindings.asMap());
        // The engine names the compiled class and its source file after this, so the script's
        // stack frames read "0002_add_phone_number.groovy:14".
        context.setAttribute(ScriptEngine.FILENAME, script.fileName(), ScriptContext.ENGINE_SCOPE);
        engine.setContext(context);
        try (ScriptThread ignored = ScriptThread.enter(loader)) {
            engine.eval(script.text(), context);
        } catch (ScriptException e) {
            CompilationFailedException compileError = compileError(e);
            if (compileError != null) {
                throw new InvalidScriptsException(
                        CompileErrors.toProblems(script.fileName(), compileError, "does not compile: "));
            }
            throw FailureLocator.failure(script.fileName(), TOP_LEVEL, e);
        } catch (AssertionError | StackOverflowError e) {
            // The engine wraps exceptions only; a top-level assert or runaway recursion arrives bare.
            throw FailureLocator.failure(script.fileName(), TOP_LEVEL, e);
        }
        return new Migration(script, engine.getInterface(MigrationFunctions.class), loader, loader.takeLastParsed());
    }

    private static CompilationFailedException compileError(Throwable thrown) {
        for (Throwable current = thrown; current != null; current = current.getCause()) {
            if (current instanceof CompilationFailedException compileError) {
                return compileError;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
