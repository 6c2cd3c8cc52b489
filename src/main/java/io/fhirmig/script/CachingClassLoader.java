package io.fhirmig.script;

import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
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

    /** Where Groovy's global AST transformations are declared. */
    static final String GLOBAL_TRANSFORMS = "META-INF/services/org.codehaus.groovy.transform.ASTTransformation";

    private final CompiledClasses store;
    private final ThreadLocal<RecordingCollector> compiling = new ThreadLocal<>();
    private final Set<String> scriptClasses = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Parsed> lastParsed = new ThreadLocal<>();
    private volatile List<URL> globalTransforms;
    private volatile AheadCompiler ahead;
    private final CompilerConfiguration configuration;

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
        this.configuration = configuration;
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

    /**
     * Answers the search for Groovy's global AST transformations from what the first search found.
     * Groovy makes it for every script it compiles (every {@code CompilationUnit}): a search of each
     * jar of the class path, then each declaration found (Groovy's own jar has one) read with the jar
     * opened anew, uncached, its directory of several thousand entries read again. The declarations
     * are read once, and served from memory under their own addresses.
     */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (!GLOBAL_TRANSFORMS.equals(name)) {
            return super.getResources(name);
        }
        List<URL> found = globalTransforms;
        if (found == null) {
            found = readGlobalTransforms();
            globalTransforms = found;
        }
        return Collections.enumeration(found);
    }

    private List<URL> readGlobalTransforms() throws IOException {
        List<URL> found = new ArrayList<>();
        for (URL url : Collections.list(super.getResources(GLOBAL_TRANSFORMS))) {
            byte[] bytes;
            try (InputStream in = url.openStream()) {
                bytes = in.readAllBytes();
            }
            found.add(new URL(null, url.toExternalForm(), new InMemory(bytes)));
        }
        return List.copyOf(found);
    }

    /** Serves a resource's bytes, read once, under the resource's own address. */
    private static final class InMemory extends URLStreamHandler {
        private final byte[] bytes;

        InMemory(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        protected URLConnection openConnection(URL url) {
            return new URLConnection(url) {
                @Override
                public void connect() {
                    connected = true;
                }

                @Override
                public InputStream getInputStream() {
                    return new ByteArrayInputStream(bytes);
                }
            };
        }
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
        AheadCompiler compiledAhead = ahead;
        String key = store.enabled() || compiledAhead != null
                ? CompiledClasses.key(codeSource.getName(), Checksums.of(text)) : null;
        CompiledClasses.Compiled cached = compiledAhead == null ? null : compiledAhead.take(key);
        if (cached == null && store.enabled()) {
            cached = store.read(key);
        }
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
                if (key != null && store.enabled() && !collector.classes.isEmpty()) {
                    store.write(key, new CompiledClasses.Compiled(compiled.getName(), collector.classes));
                }
            }
            return compiled;
        } finally {
            compiling.remove();
        }
    }

    /** Compiles the scripts the cache lacks ahead of their steps, on a thread of its own; see {@link AheadCompiler}. */
    void compileAhead(List<MigrationScript> scripts) {
        AheadCompiler current = ahead;
        if (current == null) {
            synchronized (this) {
                current = ahead;
                if (current == null) {
                    current = new AheadCompiler(this, configuration, store);
                    ahead = current;
                }
            }
        }
        current.start(scripts);
    }

    /** Every compilation of scripts, the engine's and {@link AheadCompiler}'s, looks classes up through a {@link ScriptClassResolver}. */
    @Override
    protected CompilationUnit createCompilationUnit(CompilerConfiguration config, CodeSource source) {
        CompilationUnit unit = super.createCompilationUnit(config, source);
        unit.setClassNodeResolver(new ScriptClassResolver());
        return unit;
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
