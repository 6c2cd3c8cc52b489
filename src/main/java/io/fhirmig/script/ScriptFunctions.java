package io.fhirmig.script;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import javax.script.ScriptException;

/**
 * How a call of {@code upgrade()} or {@code downgrade()} through the script engine's
 * {@link javax.script.Invocable#invokeFunction} reaches the script's function.
 *
 * <p>The engine calls the function through a closure it made for it, whose call Groovy hands to the
 * script class's meta-class. {@link Migration} marks the call it is about to make; the script's
 * {@link DeferredMetaClass} recognises it (this thread, this class, this function, no arguments)
 * and calls the function the script declares straight away, as Groovy's own meta-class would
 * choose it, without building that meta-class. What the function throws comes out wrapped in a
 * {@link FunctionFailure}, which the engine passes on inside its {@code ScriptException} with its
 * stack trace: the engine turns a bare {@code MissingMethodException} (a misspelled method, a
 * common script bug) into a {@code NoSuchMethodException} with neither cause nor stack trace, and
 * the line of the failure would be lost. Only the marked call is answered so: calls between the
 * script's own functions go through Groovy as always, and see what their callee threw unwrapped.
 */
final class ScriptFunctions {

    private static final ThreadLocal<Entry> ENTRY = new ThreadLocal<>();

    /** What {@link DeferredMetaClass#invokeMethod} answers when the marked call is not its to make. */
    static final Object NOT_DECLARED = new Object();

    private record Entry(Class<?> scriptClass, String function) {}

    private ScriptFunctions() {}

    /**
     * Runs code that calls a script's function through the engine, with that call marked.
     *
     * @param scriptClass the script's class, or {@code null} if unknown (nothing is marked)
     * @param function the function's name
     * @param code the engine's call
     * @return what the code returned
     * @throws ScriptException what the engine threw
     * @throws NoSuchMethodException what the engine threw
     */
    static <T> T call(Class<?> scriptClass, String function, Migration.ScriptCode<T> code)
            throws ScriptException, NoSuchMethodException {
        if (scriptClass == null) {
            return code.run();
        }
        Entry previous = ENTRY.get();
        ENTRY.set(new Entry(scriptClass, function));
        try {
            return code.run();
        } finally {
            if (previous == null) {
                ENTRY.remove();
            } else {
                ENTRY.set(previous);
            }
        }
    }

    /**
     * Whether this is the marked call; if it is, the mark is used up, so that calls the function
     * makes go the usual way.
     */
    static boolean isMarked(Class<?> theClass, Object receiver, String name, Object[] arguments) {
        Entry entry = ENTRY.get();
        if (entry != null && entry.scriptClass == theClass && receiver != null && receiver.getClass() == theClass
                && entry.function.equals(name) && (arguments == null || arguments.length == 0)) {
            ENTRY.remove();
            return true;
        }
        return false;
    }

    /**
     * Calls the public instance function without parameters that the receiver's class has.
     *
     * @return what it returned, or {@link #NOT_DECLARED} if the class has no such function (Groovy's
     *     meta-class then says what is missing, as it would have)
     * @throws FunctionFailure wrapping what the function threw, unless it is an {@code Error}
     */
    static Object invoke(Object receiver, String name) {
        Method function;
        try {
            function = receiver.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            return NOT_DECLARED;
        }
        if (Modifier.isStatic(function.getModifiers())) {
            return NOT_DECLARED;
        }
        try {
            return function.invoke(receiver);
        } catch (InvocationTargetException e) {
            Throwable thrown = e.getCause();
            if (thrown instanceof Error error) {
                throw error;
            }
            throw new FunctionFailure(thrown);
        } catch (IllegalAccessException e) {
            return NOT_DECLARED;
        }
    }

    /** What a script's function threw, carried through the engine; {@link FailureLocator} unwraps it. */
    static final class FunctionFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FunctionFailure(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
