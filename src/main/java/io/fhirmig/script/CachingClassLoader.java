package io.fhirmig.script;

import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.SourceUnit;

/**
 * The class loader that compiles the migration scripts' texts for {@link ScriptCompiler}: it
 * answers from the {@linkplain CompiledClasses compiled-class cache} when it can, and stores what it
 * compiles otherwise. Loading a script from the cache defines its classes
 * from their bytes, which takes a fraction of a millisecond; compiling it takes several.
 */
final class CachingClassLoader extends GroovyClassLoader {

    private static final Logger LOG = LogManager.getLogger(CachingClassLoader.class);

    private static final List<String> BEAN_SUFFIXES = List.of("BeanInfo", "Customizer");

    private final CompiledClasses store;
    private final ThreadLocal<RecordingCollector> compiling = new ThreadLocal<>();
    private final Set<String> scriptClasses = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Parsed> lastParsed = new ThreadLocal<>();

    /**
     * What one parse made: the script's own class, and every class of the script (its own first).
     *
     * @param main the script's own class, or {@code null} if nothing was parsed
     * @param classes every class the script compiled to
     */
    record Parsed(Class<?> main, List<Class<?>> classes) {
        static final Parsed NONE = new Parsed(null, List.of());
    }

    CachingClassLoader(ClassLoader parent, CompilerConfiguration configuration, CompiledClasses store) {
        super(parent, configuration);
        this.store = store;
        // Scripts are never compiled from .groovy files on the class path; without this, every class
        // Groovy cannot find (and it asks for many) is also searched as a source file in every jar.
        setResourceLoader(fileName -> null);
    }

    /**
     * Loads a class, answering at once for the classes that the JavaBeans introspector looks for
     * beside every new script class ({@code 0002_xBeanInfo}, {@code 0002_xCustomizer}): they cannot
     * exist, and searching the class path's jars for each costs more than the rest of a step. (Groovy's
     * own search, for {@code groovy.runtime.metaclass.0002_xMetaClass}, goes through the application
     * class loader, not this one: {@link GroovyRuntime} switches it off.)
     */
    @Override
    public Class loadClass(String name, boolean lookupScriptFiles, boolean preferClassOverScript, boolean resolve)
            throws ClassNotFoundException, CompilationFailedException {
        if (companionOfScript(name)) {
            throw new ClassNotFoundException(name);
        }
        return super.loadClass(name, false, preferClassOverScript, resolve);
    }

    private boolean companionOfScript(String name) {
        for (String suffix : BEAN_SUFFIXES) {
            if (name.endsWith(suffix)) {
                // The introspector also tries its search path, e.g. sun.beans.infos.0002_xBeanInfo.
                String base = name.substring(name.lastIndexOf('.') + 1, name.length() - suffix.length());
                return scriptClasses.contains(name.substring(0, name.length() - suffix.length()))
                        || scriptClasses.contains(base);
            }
        }
        return false;
    }

    @Override
    public Class parseClass(GroovyCodeSource codeSource, boolean shouldCacheSource) throws CompilationFailedException {
        String text = codeSource.getScriptText();
        if (text == null) {
            return super.parseClass(codeSource, shouldCacheSource);
        }
        String key = store.enabled() ? CompiledClasses.key(codeSource.getName(), Checksums.of(text)) : null;
        CompiledClasses.Compiled cached = key == null ? null : store.read(key);
        if (cached != null) {
            Class<?> loaded = define(cached);
            if (loaded != null) {
                return loaded;
            }
        }
        try {
            Class<?> compiled = super.parseClass(codeSource, false);
            RecordingCollector collector = compiling.get();
            if (collector != null) {
                scriptClasses.addAll(collector.classes.keySet());
                lastParsed.set(new Parsed(compiled, new ArrayList<>(collector.getLoadedClasses())));
                if (key != null && !collector.classes.isEmpty()) {
                    store.write(key, new CompiledClasses.Compiled(compiled.getName(), collector.classes));
                }
            }
            return compiled;
        } finally {
            compiling.remove();
        }
    }

    @Override
    protected ClassCollector createCollector(CompilationUnit unit, SourceUnit su) {
        RecordingCollector collector = new RecordingCollector(new InnerLoader(this), unit, su);
        compiling.set(collector);
        return collector;
    }

    /**
     * What the script this thread parsed last compiled to, and forgets it: its own class, which
     * the engine does not hand out, and the classes {@link Migration#close()} removes from Groovy's
     * registries once the script's step is done.
     */
    Parsed takeLastParsed() {
        Parsed parsed = lastParsed.get();
        lastParsed.remove();
        return parsed == null ? Parsed.NONE : parsed;
    }

    /** Defines a script's cached classes in a loader of their own, as compiling would; null if they do not load. */
    private Class<?> define(CompiledClasses.Compiled compiled) {
        DefiningLoader loader = new DefiningLoader(compiled.classes());
        try {
            List<Class<?>> classes = new ArrayList<>();
            for (String name : compiled.classes().keySet()) {
                classes.add(loader.own(name));
            }
            Class<?> main = loader.own(compiled.mainClass());
            lastParsed.set(new Parsed(main, classes));
            return main;
        } catch (LinkageError e) {
            LOG.debug("cached classes of {} do not load; compiling again", compiled.mainClass(), e);
            return null;
        }
    }

    /** Records each class's bytes as Groovy generates them. */
    private static final class RecordingCollector extends ClassCollector {

        private final Map<String, byte[]> classes = new LinkedHashMap<>();

        RecordingCollector(InnerLoader loader, CompilationUnit unit, SourceUnit su) {
            super(loader, unit, su);
        }

        @Override
        protected Class createClass(byte[] code, ClassNode classNode) {
            classes.put(classNode.getName(), code);
            return super.createClass(code, classNode);
        }
    }

    /**
     * A script's own loader, like the one Groovy gives each compiled script. Its classes are defined
     * on first use, so a class whose superclass is another class of the same script finds it.
     */
    private final class DefiningLoader extends InnerLoader {

        private final Map<String, byte[]> pending;
        private final Map<String, Class<?>> defined = new LinkedHashMap<>();

        DefiningLoader(Map<String, byte[]> classes) {
            super(CachingClassLoader.this);
            this.pending = new LinkedHashMap<>(classes);
        }

        synchronized Class<?> own(String name) {
            Class<?> existing = defined.get(name);
            if (existing != null) {
                return existing;
            }
            byte[] bytes = pending.remove(name);
            if (bytes == null) {
                return null;
            }
            scriptClasses.add(name);
            Class<?> loaded = defineClass(name, bytes, 0, bytes.length);
            defined.put(name, loaded);
            // Not put in the shared loader's class cache, as Groovy does after compiling: the
            // script's classes resolve through this loader, and once its step is done nothing
            // holds them, so a run of thousands of steps does not keep thousands of classes.
            return loaded;
        }

        @Override
        public Class<?> loadClass(String name) throws ClassNotFoundException {
            Class<?> loaded = own(name);
            return loaded != null ? loaded : super.loadClass(name);
        }

        @Override
        public Class loadClass(String name, boolean lookupScriptFiles, boolean preferClassOverScript, boolean resolve)
                throws ClassNotFoundException, CompilationFailedException {
            Class<?> loaded = own(name);
            return loaded != null ? loaded : super.loadClass(name, lookupScriptFiles, preferClassOverScript, resolve);
        }
    }
}
