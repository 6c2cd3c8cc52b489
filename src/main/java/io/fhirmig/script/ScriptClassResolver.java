package io.fhirmig.script;

import org.codehaus.groovy.control.ClassNodeResolver;
import org.codehaus.groovy.control.CompilationUnit;

/**
 * Groovy's class lookup during compilation, without the class path searches for nested classes of
 * the scripts being compiled.
 *
 * <p>For every variable a script assigns without declaring it ({@code revision = '...'},
 * {@code downRevision = ...}), Groovy asks whether the name is a class nested in the script's class
 * ({@code 0002_add_phone$revision}): as a resource and then as a class, each a search of every jar of
 * the class path, and since every script's class has its own name, nothing the last script's lookup
 * learnt answers it. Such a class can only come from the compilation that defines its outer class,
 * whose own classes Groovy looks at before it asks this resolver: so the answer is no, at once.
 */
final class ScriptClassResolver extends ClassNodeResolver {

    @Override
    public LookupResult findClassNode(String name, CompilationUnit compilationUnit) {
        int dollar = name.indexOf('$');
        if (dollar > 0 && compilationUnit != null
                && compilationUnit.getAST().getClass(name.substring(0, dollar)) != null) {
            return null;
        }
        return super.findClassNode(name, compilationUnit);
    }
}
