package io.fhirmig.script;

import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Turns Groovy's compilation errors into short {@link ScriptProblem}s: file, line, and Groovy's
 * message on one line, without the source excerpt and stack trace Groovy's own text carries.
 */
final class CompileErrors {

    /** Long enough for Groovy's messages, short enough that a quoted block of code stays readable. */
    private static final int MAX_MESSAGE_LENGTH = 120;

    private CompileErrors() {}

    /**
     * Returns one problem for each error Groovy reported.
     *
     * @param fileName the script's file name
     * @param failure what Groovy threw
     * @param prefix put before each message, e.g. {@code "syntax error: "}
     */
    static List<ScriptProblem> toProblems(String fileName, CompilationFailedException failure, String prefix) {
        List<ScriptProblem> problems = new ArrayList<>();
        if (failure instanceof MultipleCompilationErrorsException multiple) {
            for (Message message : multiple.getErrorCollector().getErrors()) {
                problems.add(toProblem(fileName, message, prefix));
            }
        }
        if (problems.isEmpty()) {
            problems.add(new ScriptProblem(fileName, null, prefix + shorten(failure.getMessage())));
        }
        return problems;
    }

    private static ScriptProblem toProblem(String fileName, Message message, String prefix) {
        if (message instanceof SyntaxErrorMessage syntax) {
            SyntaxException cause = syntax.getCause();
            Integer line = cause.getLine() > 0 ? cause.getLine() : null;
            return new ScriptProblem(fileName, line, prefix + shorten(cause.getOriginalMessage()));
        }
        if (message instanceof ExceptionMessage exception) {
            return new ScriptProblem(fileName, null, prefix + shorten(exception.getCause().getMessage()));
        }
        if (message instanceof SimpleMessage simple) {
            return new ScriptProblem(fileName, null, prefix + shorten(simple.getMessage()));
        }
        return new ScriptProblem(fileName, null, prefix + shorten(String.valueOf(message)));
    }

    /**
     * Puts a message on one line and cuts it at a readable length.
     *
     * <p>Groovy's parser quotes everything from the start of the construct it was in up to the
     * unexpected token, with line breaks written as {@code \n}: "Unexpected input: 'void upgrade()
     * {\n def x = ='". Only the last of those lines, the one the error's line number points at, is
     * kept: "Unexpected input: 'def x = ='".
     */
    static String shorten(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String oneLine = lastQuotedLine(message).strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_MESSAGE_LENGTH
                ? oneLine
                : oneLine.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }

    private static String lastQuotedLine(String message) {
        int open = message.indexOf('\'');
        int close = message.lastIndexOf('\'');
        if (open < 0 || close <= open) {
            return message;
        }
        String quoted = message.substring(open + 1, close);
        int lastBreak = quoted.lastIndexOf("\\n");
        if (lastBreak < 0) {
            return message;
        }
        return message.substring(0, open + 1) + quoted.substring(lastBreak + 2).strip() + message.substring(close);
    }
}
