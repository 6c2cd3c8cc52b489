package io.fhirmig.script;

import groovy.lang.Binding;
import groovy.lang.Script;
import java.util.List;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * Compiles and loads migration scripts at run time: each script is compiled (or read from the cache)
 * by one shared Groovy class loader, which carries the {@linkplain DefaultImports default imports},
 * and gets a {@code Script} object of its own, with its own bindings, whose functions are called
 * through {@link MigrationFunctions}. Safe to use from several threads.
 *
 * <p>Not through Groovy's JSR-223 engine, which fhirmig used until it measured the engine's cost per
 * script: for every script it built the class's meta-class at once, and a closure and a meta-class
 * look-up for each of the script class's forty-odd public methods, plus two script contexts with
 * their buffered readers and writers. An upgrade of 5,000 no-op migrations took 28% less CPU time
 * without it. Its one service, a script's functions called by name, is
 * {@link MigrationFunctions}'s. (A shared engine was never an option: it keeps the functions of
 * every script it has evaluated in one engine-wide map, so a later script's {@code upgrade()}
 * would replace an earlier one's.)
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
        GroovyRuntime.deferScriptMetaClassesOnce();
        Class<?> type;
        try (ScriptThread ignored = ScriptThread.enter(loader)) {
            // Named after the file, so the script's stack frames read "0002_add_phone_number.groovy:14".
            type = loader.parseClass(script.text(), script.fileName());
        } catch (CompilationFailedException e) {
            throw new InvalidScriptsException(CompileErrors.toProblems(script.fileName(), e, "does not compile: "));
        }
        if (!Script.class.isAssignableFrom(type)) {
            throw new InvalidScriptsException(List.of(new ScriptProblem(script.fileName(), null,
                    "declares a class and nothing else; a migration is a script: put revision, downRevision,"
                            + " upgrade() and downgrade() at its top level")));
        }
        // Making the script's object and running its top-level code are both the script's code.
        Script instance = Migration.runScriptCode(script.fileName(), TOP_LEVEL, loader, () -> {
            Script created = InvokerHelper.createScript(type, new Binding(bindings.asMap()));
            created.run();
            return created;
        });
        return new Migration(script, new MigrationFunctions(instance), loader, loader.takeLastParsed());
    }
}
