package io.fhirmig.script;

import groovy.lang.GroovyClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.codehaus.groovy.GroovyBugError;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;

/**
 * Parses a script's text to Groovy's syntax tree and no further: no class is generated, nothing is
 * loaded and none of the script's code runs.
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

    /**
     * Parses several texts in one Groovy parse, which costs less than parsing each alone; if any of
     * them does not parse, each is parsed alone, so that its problems are its own.
     *
     * @param fileNames the file names, which Groovy's messages and the problems use
     * @param texts the scripts' texts, in the same order
     * @return each text's result, in the same order
     */
    static List<Parsed> parseAll(List<String> fileNames, List<String> texts) {
        if (fileNames.size() > 1) {
            CompilationUnit unit = new CompilationUnit(CONFIGURATION, null, BARE_LOADER);
            List<SourceUnit> sources = new ArrayList<>();
            for (int i = 0; i < fileNames.size(); i++) {
                sources.add(unit.addSource(fileNames.get(i), texts.get(i)));
            }
            try {
                unit.compile(Phases.CONVERSION);
                List<Parsed> parsed = new ArrayList<>();
                for (SourceUnit source : sources) {
                    parsed.add(new Parsed(source.getAST(), List.of()));
                }
                return parsed;
            } catch (CompilationFailedException | GroovyBugError e) {
                // Parsed alone below.
            }
        }
        List<Parsed> parsed = new ArrayList<>();
        for (int i = 0; i < fileNames.size(); i++) {
            parsed.add(parse(fileNames.get(i), texts.get(i)));
        }
        return parsed;
    }

    private static CompilerConfiguration configuration() {
        CompilerConfiguration configuration = new CompilerConfiguration();
        configuration.setSourceEncoding("UTF-8");
        // Belt and braces beside the bare class loader: never resolve @Grab while reading.
        configuration.setDisabledGlobalASTTransformations(Set.of("groovy.grape.GrabAnnotationTransformation"));
        return configuration;
    }
}
