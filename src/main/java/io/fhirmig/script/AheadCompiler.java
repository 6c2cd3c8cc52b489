package io.fhirmig.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.tools.GroovyClass;

/**
 * Compiles the scripts of a run that the cache lacks (a fresh clone, a CI job) on a thread of its
 * own, ahead of their steps, so that the other core compiles while this one runs steps; each step
 * then defines its script's classes from what was compiled, as it would from the cache, and its
 * engine compiles nothing. Each batch is kept in the cache as one file.
 *
 * <p>Several scripts are compiled in one Groovy compilation, which costs less CPU a script than one
 * compilation each: Groovy sets up each compilation anew. Compiled together, a script could see
 * another's classes where alone it would not, so a batch is only used when every class it made
 * belongs to the script class of its file (its closures and inner classes); otherwise its scripts
 * are compiled alone, at their step.
 */
final class AheadCompiler {

    private static final int FIRST_BATCH = 8;
    private static final int BATCH = 50;

    private final CachingClassLoader loader;
    private final CompilerConfiguration configuration;
    private final CompiledClasses store;
    /** The scripts not yet taken by their steps; the thread completes each script's future itself. */
    private final Map<String, CompletableFuture<CompiledClasses.Compiled>> pending = new ConcurrentHashMap<>();
    private final Map<MigrationScript, CompletableFuture<CompiledClasses.Compiled>> futures = new ConcurrentHashMap<>();

    AheadCompiler(CachingClassLoader loader, CompilerConfiguration configuration, CompiledClasses store) {
        this.loader = loader;
        this.configuration = configuration;
        this.store = store;
    }

    /** Starts compiling, in this order, those of the scripts whose classes the cache lacks. */
    void start(List<MigrationScript> scripts) {
        List<MigrationScript> planned = new ArrayList<>();
        for (MigrationScript script : scripts) {
            CompletableFuture<CompiledClasses.Compiled> future = new CompletableFuture<>();
            if (pending.putIfAbsent(key(script), future) == null) {
                futures.put(script, future);
                planned.add(script);
            }
        }
        if (planned.isEmpty()) {
            return;
        }
        Thread thread = new Thread(() -> run(planned), "fhirmig-compile-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The classes compiled ahead for a script, waiting for them if they are on their way.
     *
     * @return the classes, or {@code null} if the script was not compiled ahead (it was cached, or
     *     its batch could not be used)
     */
    CompiledClasses.Compiled take(String key) {
        CompletableFuture<CompiledClasses.Compiled> future = pending.remove(key);
        return future == null ? null : future.join();
    }

    private void run(List<MigrationScript> scripts) {
        try (ScriptThread ignored = ScriptThread.enter(loader)) {
            int from = 0;
            int size = FIRST_BATCH;
            while (from < scripts.size()) {
                List<MigrationScript> cold = new ArrayList<>();
                int to = Math.min(scripts.size(), from + size);
                for (MigrationScript script : scripts.subList(from, to)) {
                    if (store.contains(key(script))) {
                        complete(script, null);
                    } else {
                        cold.add(script);
                    }
                }
                compile(cold);
                from = to;
                size = BATCH;
            }
        } catch (RuntimeException | Error e) {
            LogManager.getLogger(AheadCompiler.class).debug("compiling ahead stopped", e);
        } finally {
            // Whatever was not compiled is compiled at its step.
            for (MigrationScript script : scripts) {
                complete(script, null);
            }
        }
    }

    private void compile(List<MigrationScript> scripts) {
        if (scripts.isEmpty()) {
            return;
        }
        Map<String, Map<String, byte[]>> byScript = new LinkedHashMap<>();
        Map<String, MigrationScript> byMainClass = new LinkedHashMap<>();
        try {
            CompilationUnit unit = new CompilationUnit(configuration, null, loader);
            unit.setClassNodeResolver(new ScriptClassResolver());
            for (MigrationScript script : scripts) {
                unit.addSource(script.fileName(), script.text());
            }
            unit.compile(Phases.CLASS_GENERATION);
            for (ModuleNode module : unit.getAST().getModules()) {
                String main = module.getClasses().get(0).getName();
                MigrationScript script = scripts.stream()
                        .filter(candidate -> candidate.fileName().equals(module.getContext().getName()))
                        .findFirst().orElseThrow();
                byMainClass.put(main, script);
                byScript.put(main, new LinkedHashMap<>());
            }
            for (GroovyClass generated : unit.getClasses()) {
                String name = generated.getName();
                int dollar = name.indexOf('$');
                Map<String, byte[]> classes = byScript.get(dollar < 0 ? name : name.substring(0, dollar));
                if (classes == null) {
                    // A class of its own that some script declares: compile each alone, at its step.
                    scripts.forEach(script -> complete(script, null));
                    return;
                }
                classes.put(name, generated.getBytes());
            }
        } catch (RuntimeException | LinkageError e) {
            // A script that does not compile: each is compiled alone, at its step, which says why.
            scripts.forEach(script -> complete(script, null));
            return;
        }
        Map<String, CompiledClasses.Compiled> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, MigrationScript> entry : byMainClass.entrySet()) {
            Map<String, byte[]> classes = byScript.get(entry.getKey());
            // The script's own class first, as the cache keeps it.
            Map<String, byte[]> ordered = new LinkedHashMap<>();
            ordered.put(entry.getKey(), classes.get(entry.getKey()));
            ordered.putAll(classes);
            CompiledClasses.Compiled compiled = new CompiledClasses.Compiled(entry.getKey(), ordered);
            byKey.put(key(entry.getValue()), compiled);
            complete(entry.getValue(), compiled);
        }
        store.writeBatch(byKey);
    }

    private void complete(MigrationScript script, CompiledClasses.Compiled compiled) {
        CompletableFuture<CompiledClasses.Compiled> future = futures.remove(script);
        if (future != null) {
            future.complete(compiled);
        }
    }

    private static String key(MigrationScript script) {
        return CompiledClasses.key(script.fileName(), script.checksum());
    }
}
