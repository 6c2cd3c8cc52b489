package io.fhirmig.script;

import groovy.lang.GroovySystem;

/** Settings of the JVM's Groovy runtime for a process that runs many migration scripts. */
final class GroovyRuntime {

    private static volatile boolean tuned;

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
}
