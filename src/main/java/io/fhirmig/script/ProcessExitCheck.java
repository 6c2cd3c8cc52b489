package io.fhirmig.script;

import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.control.SourceUnit;

/**
 * Finds calls that end the JVM ({@code System.exit}, {@code Runtime.getRuntime().exit} or
 * {@code .halt}) in a script's syntax tree. Such a call would end fhirmig in the middle of a step:
 * the step not recorded, and with {@code exit(0)}, a run that looks successful. A script fails a
 * step by throwing.
 */
final class ProcessExitCheck extends ClassCodeVisitorSupport {

    private final String fileName;
    private final List<ScriptProblem> problems = new ArrayList<>();

    private ProcessExitCheck(String fileName) {
        this.fileName = fileName;
    }

    /** {@return a problem for each call that would end the process, in the script and its classes} */
    static List<ScriptProblem> problems(String fileName, ModuleNode module) {
        ProcessExitCheck check = new ProcessExitCheck(fileName);
        check.visitBlockStatement(module.getStatementBlock());
        for (MethodNode method : module.getMethods()) {
            check.visitMethod(method);
        }
        for (ClassNode type : module.getClasses()) {
            if (!type.isScript()) {
                check.visitClass(type);
            }
        }
        return check.problems;
    }

    @Override
    protected SourceUnit getSourceUnit() {
        return null;
    }

    @Override
    public void visitMethodCallExpression(MethodCallExpression call) {
        String method = call.getMethodAsString();
        Expression receiver = call.getObjectExpression();
        if ("exit".equals(method) && names(receiver, "System")) {
            report(call, "System.exit");
        } else if (("exit".equals(method) || "halt".equals(method)) && isRuntime(receiver)) {
            report(call, "Runtime." + method);
        }
        super.visitMethodCallExpression(call);
    }

    @Override
    public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
        // A statically imported exit(): "import static java.lang.System.exit".
        if ("exit".equals(call.getMethod()) && isSystemOrRuntime(call.getOwnerType())) {
            report(call, call.getOwnerType().getNameWithoutPackage() + ".exit");
        }
        super.visitStaticMethodCallExpression(call);
    }

    /** {@code Runtime.getRuntime()}, {@code Runtime.runtime}, or a variable named after it is not traced. */
    private static boolean isRuntime(Expression receiver) {
        if (receiver instanceof MethodCallExpression call) {
            return "getRuntime".equals(call.getMethodAsString()) && names(call.getObjectExpression(), "Runtime");
        }
        if (receiver instanceof PropertyExpression property) {
            return "runtime".equals(property.getPropertyAsString()) && names(property.getObjectExpression(), "Runtime");
        }
        return false;
    }

    private static boolean names(Expression receiver, String simpleName) {
        if (receiver instanceof ClassExpression type) {
            String name = type.getType().getName();
            return name.equals(simpleName) || name.equals("java.lang." + simpleName);
        }
        if (receiver instanceof VariableExpression variable) {
            return variable.getName().equals(simpleName);
        }
        if (receiver instanceof PropertyExpression property) {
            return property.getText().equals("java.lang." + simpleName);
        }
        return false;
    }

    private static boolean isSystemOrRuntime(ClassNode type) {
        return type.getName().equals("java.lang.System") || type.getName().equals("java.lang.Runtime");
    }

    private void report(Expression call, String what) {
        problems.add(new ScriptProblem(fileName, call.getLineNumber() > 0 ? call.getLineNumber() : null,
                "calls " + what + ", which would end fhirmig in the middle of the step without recording it;"
                        + " throw an exception to fail the step instead"));
    }
}
