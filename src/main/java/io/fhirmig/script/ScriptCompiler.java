package io.fhirmig.script;

import groovy.lang.Script;
import java.util.List;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.jsr223.GroovyScriptEngineImpl;

/**
 * Compiles and loads migration scripts at run time through JSR-223, with Groovy's engine
 * ({@code groovy-jsr223}): one engine per script, compiled with {@link javax.script.Compilable},
 * its top-level code run in a {@link MigrationScriptContext} of its own whose engine scope holds the
 * bindings, and its functions called through {@link javax.script.Invocable} (see {@link Migration}).
 * Safe to use from several threads.
 *
 * <p>One engine per script because Groovy's engine keeps the functions of every script it has
 * evaluated in one engine-wide map: with a shared engine, a later script's {@code upgrade()}
 * would replace an earlier one's, and a call to a function a script lacks would find another
 * script's. The engines share one class loader, which carries the
 * {@linkplain DefaultImports default imports} and the compiled-class cache.
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
     * Starts compiling, on a thread of its own, those of the scripts whose compiled classes the
     * cache lacks, in the order given (the order of a run's steps), so that their steps find them
     * compiled. Meant for a run's plan on a fresh clone; with a warm cache it only checks what is
     * there. Scripts not given, or not yet compiled when their step comes, are compiled then.
     *
     * @param scripts the scripts, in the order their steps will run
     */
    public void compileAhead(List<MigrationScript> scripts) {
        if (ownsRuntime) {
            GroovyRuntime.tuneOnce();
        }
        loader.compileAhead(scripts);
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
        GroovyRuntime.deferScriptMetaClassesOnce();
        GroovyScriptEngineImpl engine = new GroovyScriptEngineImpl(loader);
        // The engine names the compiled class and its source file after this, so the script's stack
        // frames read "0002_add_phone_number.groovy:14".
        engine.put(ScriptEngine.FILENAME, script.fileName());
        CompiledScript compiled;
        CachingClassLoader.Parsed parsed;
        try (ScriptThread ignored = ScriptThread.enter(loader)) {
            compiled = engine.compile(script.text());
        } catch (ScriptException e) {
            CompilationFailedException compileError = compileError(e);
            if (compileError == null) {
                throw new IllegalStateException(script.fileName() + ": the script engine failed to compile it", e);
            }
            throw new InvalidScriptsException(CompileErrors.toProblems(script.fileName(), compileError, "does not compile: "));
        } finally {
            parsed = loader.takeLastParsed();
        }
        if (parsed.main() != null && !Script.class.isAssignableFrom(parsed.main())) {
            throw new InvalidScriptsException(List.of(new ScriptProblem(script.fileName(), null,
                    "declares a class and nothing else; a migration is a script: put revision, downRevision,"
                            + " upgrade() and downgrade() at its top level")));
        }
        MigrationScriptContext context = new MigrationScriptContext(bindings.variables());
        // What invokeFunction passes to the script's functions: this script's context, not the engine's own.
        engine.setContext(context);
        // Making the script's object and running its top-level code are both the script's code.
        Migration.runScriptCode(script.fileName(), TOP_LEVEL, loader, () -> compiled.eval(context));
        return new Migration(script, engine, parsed.main(), loader, parsed.classes());
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
