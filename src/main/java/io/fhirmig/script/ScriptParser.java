package io.fhirmig.script;

import groovy.lang.GroovyClassLoader;
import java.util.List;
import java.util.Set;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;

/**
 * Parses a script's text to Groovy's syntax tree and no further: no class is generated, nothing is
 * loaded and none of the script's code runs. That costs about a quarter of a millisecond a script.
 */
final class ScriptParser {

    /**
     * The parse's class loader sees only the Java platform. Groovy looks for global AST
     * transformations on the compiling class loader and runs some during conversion, notably
     * {@code @Grab}, which would download dependencies while merely reading a script; a loader
     * that sees no Groovy jar finds none of them, and does not scan the whole class path for them
     * for every file either (which would make the parse several times slower).
     */
    private static final GroovyClassLoader BARE_LOADER =
            new GroovyClassLoader(ClassLoader.getPlatformClassLoader());

    private static final CompilerConfiguration CONFIGURATION = configuration();

    /**
     * A parsed script: its syntax tree, or the problems that prevented it.
     *
     * @param module the syntax tree, or {@code null} if the text does not parse
     * @param problems the syntax errors; empty if the text parses
     */
    record Parsed(ModuleNode module, List<ScriptProblem> problems) {}

    private ScriptParser() {}

    /**
     * Parses the text. Safe to call from several threads at once.
     *
     * @param fileName the file name, which Groovy's messages and the problems use
     * @param text the script's text
     */
    static Parsed parse(String fileName, String text) {
        CompilationUnit unit = new CompilationUnit(CONFIGURATION, null, BARE_LOADER);
        SourceUnit source = unit.addSource(fileName, text);
        try {
            unit.compile(Phases.CONVERSION);
            return new Parsed(source.getAST(), List.of());
        } catch (CompilationFailedException e) {
            return new Parsed(null, CompileErrors.toProblems(fileName, e, "syntax error: "));
        }
    }

    private static CompilerConfiguration configuration() {
        CompilerConfiguration configuration = new CompilerConfiguration();
        configuration.setSourceEncoding("UTF-8");
        // Belt and braces beside the bare class loader: never resolve @Grab while reading.
        configuration.setDisabledGlobalASTTransformations(Set.of("groovy.grape.GrabAnnotationTransformation"));
        return configuration;
    }
}
