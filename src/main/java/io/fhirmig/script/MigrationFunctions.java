package io.fhirmig.script;

import groovy.lang.MissingMethodException;
import groovy.lang.Script;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;

/**
 * The functions every migration script declares, called on the script's object through Java
 * reflection.
 *
 * <p>Not through Groovy's meta-class, which Groovy would have to build for the script's class first
 * (see {@link DeferredMetaClass}), and not through JSR-223's {@code Invocable.invokeFunction}, which
 * turns any {@code MissingMethodException} raised inside the function (a misspelled method, a common
 * script bug) into a {@code NoSuchMethodException} without cause or stack trace, losing the line of
 * the failure. What the function throws comes out as it was thrown.
 */
final class MigrationFunctions {

    private static final Object[] NO_ARGUMENTS = {};

    private final Script script;

    MigrationFunctions(Script script) {
        this.script = script;
    }

    /** Calls the script's {@code upgrade()}. */
    void upgrade() {
        call("upgrade");
    }

    /** Calls the script's {@code downgrade()}. */
    void downgrade() {
        call("downgrade");
    }

    private void call(String name) {
        Method function;
        try {
            function = script.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            // E.g. declared with a parameter, or private: as Groovy would say it.
            throw new MissingMethodException(name, script.getClass(), NO_ARGUMENTS);
        }
        try {
            function.invoke(script);
        } catch (InvocationTargetException e) {
            Throwable thrown = e.getCause();
            if (thrown instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (thrown instanceof Error error) {
                throw error;
            }
            // Groovy lets a script throw checked exceptions without declaring them.
            throw new UndeclaredThrowableException(thrown);
        } catch (IllegalAccessException e) {
            throw new MissingMethodException(name, script.getClass(), NO_ARGUMENTS);
        }
    }
}
