package io.fhirmig.script;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import javax.script.ScriptException;
import org.codehaus.groovy.runtime.InvokerInvocationException;

/**
 * Finds, in what a script's function threw, the error the script itself raised and the line of the
 * script it came from.
 */
final class FailureLocator {

    private FailureLocator() {}

    /**
     * Strips the wrappers that Java's and Groovy's reflection, and the script engine, put around a
     * script's error.
     *
     * @param thrown what the call threw
     * @return the error the script raised
     */
    static Throwable original(Throwable thrown) {
        Throwable current = thrown;
        while (current.getCause() != null && current.getCause() != current && isWrapper(current)) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Returns the line of the innermost frame of the script in the error's stack trace, or in its
     * causes' if the error was raised elsewhere and only wrapped in the script.
     *
     * @param error the script's error
     * @param fileName the script's file name, which Groovy writes into the script's frames
     * @return the line, or {@code null} if no frame is the script's
     */
    static Integer lineIn(Throwable error, String fileName) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            for (StackTraceElement frame : current.getStackTrace()) {
                if (fileName.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                    return frame.getLineNumber();
                }
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

    /**
     * Returns the failure to report for what a script's code threw.
     *
     * @param fileName the script's file name
     * @param function what was running, e.g. {@code upgrade()}
     * @param thrown what the call threw
     */
    static MigrationFailedException failure(String fileName, String function, Throwable thrown) {
        Throwable original = original(thrown);
        return new MigrationFailedException(fileName, lineIn(original, fileName), function, original);
    }

    private static boolean isWrapper(Throwable throwable) {
        return throwable instanceof InvokerInvocationException
                || throwable instanceof InvocationTargetException
                || throwable instanceof UndeclaredThrowableException
                || throwable instanceof ScriptException
                || throwable instanceof ScriptFunctions.FunctionFailure;
    }
}
