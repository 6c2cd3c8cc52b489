package io.fhirmig.script;

import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovySystem;
import groovy.lang.MetaClass;
import groovy.lang.MetaClassRegistry;
import groovy.lang.Script;

/** Settings of the JVM's Groovy runtime for a process that runs many migration scripts. */
final class GroovyRuntime {

    private static volatile boolean tuned;
    private static volatile boolean deferring;

    private GroovyRuntime() {}

    /**
     * Switches off the custom meta-class lookup: for every class Groovy meets for the first time it
     * asks for a class {@code groovy.runtime.metaclass.<name>MetaClass}, through the application
     * class loader, so each new script class costs a search of every jar. fhirmig ships none.
     * Done on the first compile rather than at start, which would start Groovy for every command.
     */
    static void tuneOnce() {
        if (!tuned) {
            GroovySystem.getMetaClassRegistry().getMetaClassCreationHandler().setDisableCustomMetaClassLookup(true);
            tuned = true;
        }
    }

    /**
     * Makes Groovy give the classes of migration scripts a {@link DeferredMetaClass}, once per JVM.
     * Left as it is if something else has replaced Groovy's way of making meta-classes (e.g.
     * {@code ExpandoMetaClass.enableGlobally()}): scripts then get their meta-classes at once, as
     * before, which is slower but no different to them.
     */
    static void deferScriptMetaClassesOnce() {
        if (!deferring) {
            installDeferral();
        }
    }

    private static synchronized void installDeferral() {
        if (deferring) {
            return;
        }
        MetaClassRegistry registry = GroovySystem.getMetaClassRegistry();
        if (registry.getMetaClassCreationHandler().getClass() == MetaClassRegistry.MetaClassCreationHandle.class) {
            registry.setMetaClassCreationHandle(new ScriptMetaClasses());
        }
        deferring = true;
    }

    /** {@return whether the class is a migration script's, compiled or loaded by a {@link CachingClassLoader}} */
    static boolean isMigrationScript(Class<?> type) {
        return Script.class.isAssignableFrom(type)
                && type.getClassLoader() instanceof GroovyClassLoader.InnerLoader inner
                && inner.getParent() instanceof CachingClassLoader;
    }

    /** Groovy's way of making meta-classes, but deferred for the classes of migration scripts. */
    private static final class ScriptMetaClasses extends MetaClassRegistry.MetaClassCreationHandle {
        @Override
        protected MetaClass createNormalMetaClass(Class theClass, MetaClassRegistry registry) {
            if (!isMigrationScript(theClass)) {
                return super.createNormalMetaClass(theClass, registry);
            }
            return new DeferredMetaClass(theClass, () -> {
                MetaClass real = super.createNormalMetaClass(theClass, registry);
                real.initialize();
                return real;
            });
        }
    }
}
