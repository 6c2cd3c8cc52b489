package io.fhirmig.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.EmptyExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.syntax.Types;

/**
 * Reads a script's header from its syntax tree: the top-level assignments of {@code revision},
 * {@code downRevision}, {@code description} and {@code transactional}, and the declarations of
 * {@code upgrade()} and {@code downgrade()}.
 *
 * <p>The values must be literals because they are read without running the script; an expression
 * would need the script to run before the revision graph can even be drawn. Names and values from
 * the Python tool this one descends from are accepted too: {@code down_revision}, and the string
 * {@code 'None'} for no parent.
 */
final class HeaderReader {

    private static final Pattern REVISION_ID = Pattern.compile("[A-Za-z0-9_-]+");

    private static final String REVISION = "revision";
    private static final String DOWN_REVISION = "downRevision";
    private static final String PYTHON_DOWN_REVISION = "down_revision";
    private static final String DESCRIPTION = "description";
    private static final String TRANSACTIONAL = "transactional";
    private static final Set<String> HEADER_NAMES =
            Set.of(REVISION, DOWN_REVISION, PYTHON_DOWN_REVISION, DESCRIPTION, TRANSACTIONAL);

    private final String fileName;
    private final List<ScriptProblem> problems = new ArrayList<>();
    /** Header names assigned at the top level, even those whose value was already a problem. */
    private final Set<String> declared = new HashSet<>();

    /**
     * A header, or the problems that make it unusable.
     *
     * @param header the header, or {@code null} if there are problems
     * @param problems every problem found; empty if the header is usable
     */
    record Result(ScriptHeader header, List<ScriptProblem> problems) {}

    private HeaderReader(String fileName) {
        this.fileName = fileName;
    }

    /**
     * Reads the header of a parsed script, reporting every problem rather than the first.
     *
     * @param fileName the file name the problems name
     * @param module the script's syntax tree
     */
    static Result read(String fileName, ModuleNode module) {
        return new HeaderReader(fileName).read(module);
    }

    private Result read(ModuleNode module) {
        Map<String, Expression> values = assignments(module);
        if (values.containsKey(DOWN_REVISION) && values.containsKey(PYTHON_DOWN_REVISION)) {
            problem(values.get(PYTHON_DOWN_REVISION),
                    "both downRevision and down_revision are declared; keep only downRevision");
        }
        Expression downRevisionValue = values.containsKey(DOWN_REVISION)
                ? values.get(DOWN_REVISION)
                : values.get(PYTHON_DOWN_REVISION);

        String revision = null;
        if (values.containsKey(REVISION)) {
            revision = revision(values.get(REVISION));
        } else if (!declared.contains(REVISION)) {
            problems.add(new ScriptProblem(fileName, null,
                    "revision is not declared (add a line such as revision = 'a1b2c3d4e5f6')"));
        }
        List<String> downRevisions = List.of();
        if (downRevisionValue != null) {
            downRevisions = downRevisions(downRevisionValue);
        } else if (!declared.contains(DOWN_REVISION) && !declared.contains(PYTHON_DOWN_REVISION)) {
            problems.add(new ScriptProblem(fileName, null, "downRevision is not declared"
                    + " (add downRevision = null for a first migration, or the parent's revision)"));
        }
        String description = values.containsKey(DESCRIPTION) ? description(values.get(DESCRIPTION)) : null;
        boolean transactional = values.containsKey(TRANSACTIONAL) && transactional(values.get(TRANSACTIONAL));
        requireFunction(module, "upgrade");
        requireFunction(module, "downgrade");
        problems.addAll(ProcessExitCheck.problems(fileName, module));

        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new ScriptHeader(revision, downRevisions, description, transactional), List.of());
    }

    /** Collects the header names' top-level assignments; a name assigned twice is a problem. */
    private Map<String, Expression> assignments(ModuleNode module) {
        Map<String, Expression> values = new HashMap<>();
        for (Statement statement : module.getStatementBlock().getStatements()) {
            if (!(statement instanceof ExpressionStatement expressionStatement)
                    || !(expressionStatement.getExpression() instanceof BinaryExpression assignment)
                    || assignment.getOperation().getType() != Types.ASSIGN
                    || !(assignment.getLeftExpression() instanceof VariableExpression variable)
                    || !HEADER_NAMES.contains(variable.getName())) {
                continue;
            }
            String name = variable.getName();
            declared.add(name);
            if (values.containsKey(name)) {
                problem(assignment, name + " is declared twice (first on line "
                        + values.get(name).getLineNumber() + ")");
                continue;
            }
            // "def revision" with no value parses as a declaration whose value is empty.
            if (assignment.getRightExpression() instanceof EmptyExpression) {
                problem(assignment, name + " is declared without a value");
                continue;
            }
            values.put(name, assignment.getRightExpression());
        }
        return values;
    }

    private String revision(Expression value) {
        if (!(value instanceof ConstantExpression constant) || !(constant.getValue() instanceof String id)) {
            problem(value, "revision must be a literal string, e.g. revision = 'a1b2c3d4e5f6'");
            return null;
        }
        return validId(value, REVISION, id) ? id : null;
    }

    private List<String> downRevisions(Expression value) {
        if (value instanceof ConstantExpression constant) {
            Object literal = constant.getValue();
            if (literal == null || "None".equals(literal)) {
                return List.of();
            }
            if (literal instanceof String id) {
                return validId(value, DOWN_REVISION, id) ? List.of(id) : List.of();
            }
        }
        if (value instanceof ListExpression list) {
            return downRevisionList(list);
        }
        String hint = value instanceof VariableExpression variable && "None".equals(variable.getName())
                ? " (write null, not None)"
                : "";
        problem(value, "downRevision must be null, a literal string or a list of literal strings" + hint);
        return List.of();
    }

    private List<String> downRevisionList(ListExpression list) {
        Set<String> ids = new LinkedHashSet<>();
        for (Expression element : list.getExpressions()) {
            if (!(element instanceof ConstantExpression constant) || !(constant.getValue() instanceof String id)) {
                problem(element, "downRevision must be null, a literal string or a list of literal strings");
            } else if (!ids.add(id)) {
                problem(element, "downRevision lists '" + id + "' twice");
            } else {
                validId(element, DOWN_REVISION, id);
            }
        }
        return List.copyOf(ids);
    }

    private String description(Expression value) {
        if (value instanceof ConstantExpression constant
                && (constant.getValue() == null || constant.getValue() instanceof String)) {
            return (String) constant.getValue();
        }
        problem(value, "description must be a literal string");
        return null;
    }

    private boolean transactional(Expression value) {
        if (value instanceof ConstantExpression constant && constant.getValue() instanceof Boolean flag) {
            return flag;
        }
        problem(value, "transactional must be true or false");
        return false;
    }

    private boolean validId(Expression where, String name, String id) {
        if (REVISION_ID.matcher(id).matches()) {
            return true;
        }
        problem(where, name + " '" + id + "' is not a valid revision id: use only letters, digits, '_' and '-'");
        return false;
    }

    /** A function counts when it is declared at the top level and takes no parameters. */
    private void requireFunction(ModuleNode module, String name) {
        MethodNode withParameters = null;
        for (MethodNode method : module.getMethods()) {
            if (method.getName().equals(name)) {
                if (method.getParameters().length == 0) {
                    return;
                }
                withParameters = method;
            }
        }
        if (withParameters != null) {
            problems.add(new ScriptProblem(fileName, line(withParameters.getLineNumber()),
                    name + "() must take no parameters"));
        } else {
            problems.add(new ScriptProblem(fileName, null,
                    name + "() is not declared (add: void " + name + "() { ... })"));
        }
    }

    private void problem(Expression where, String message) {
        problems.add(new ScriptProblem(fileName, line(where.getLineNumber()), message));
    }

    private static Integer line(int lineNumber) {
        return lineNumber > 0 ? lineNumber : null;
    }
}
