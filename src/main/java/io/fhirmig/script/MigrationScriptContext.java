package io.fhirmig.script;

import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.util.List;
import java.util.Objects;
import javax.script.Bindings;
import javax.script.ScriptContext;

/**
 * The JSR-223 context a migration script runs in, one per script: its engine scope holds the
 * bindings ({@code fhir}, {@code fhirContext}, {@code log}, {@code migration}) and the variables the
 * script's top-level code assigns ({@code revision}, {@code downRevision}, ...); there is no global
 * scope. The script sees it as {@code context}.
 *
 * <p>What {@link javax.script.SimpleScriptContext} does, except that the reader and writers over
 * {@code System.in}, {@code System.out} and {@code System.err} are made when a script first asks
 * for them: {@code SimpleScriptContext} makes all three at once, with their buffers (about 56 KB),
 * and a migration rarely reads or prints.
 */
final class MigrationScriptContext implements ScriptContext {

    private static final List<Integer> SCOPES = List.of(ENGINE_SCOPE, GLOBAL_SCOPE);

    private Bindings engineScope;
    private Bindings globalScope;
    private Reader reader;
    private Writer writer;
    private Writer errorWriter;

    /**
     * @param variables the engine scope, with the bindings
     */
    MigrationScriptContext(Bindings variables) {
        this.engineScope = Objects.requireNonNull(variables, "variables");
    }

    @Override
    public void setBindings(Bindings bindings, int scope) {
        if (scope == ENGINE_SCOPE) {
            engineScope = Objects.requireNonNull(bindings, "Engine scope Bindings may not be null.");
        } else if (scope == GLOBAL_SCOPE) {
            globalScope = bindings;
        } else {
            throw new IllegalArgumentException("Invalid scope value.");
        }
    }

    @Override
    public Bindings getBindings(int scope) {
        if (scope == ENGINE_SCOPE) {
            return engineScope;
        }
        if (scope == GLOBAL_SCOPE) {
            return globalScope;
        }
        throw new IllegalArgumentException("Illegal scope value.");
    }

    @Override
    public void setAttribute(String name, Object value, int scope) {
        checkName(name);
        Bindings bindings = getBindings(scope);
        if (bindings != null) {
            bindings.put(name, value);
        }
    }

    @Override
    public Object getAttribute(String name, int scope) {
        checkName(name);
        Bindings bindings = getBindings(scope);
        return bindings == null ? null : bindings.get(name);
    }

    @Override
    public Object removeAttribute(String name, int scope) {
        checkName(name);
        Bindings bindings = getBindings(scope);
        return bindings == null ? null : bindings.remove(name);
    }

    @Override
    public Object getAttribute(String name) {
        checkName(name);
        if (engineScope.containsKey(name)) {
            return engineScope.get(name);
        }
        if (globalScope != null && globalScope.containsKey(name)) {
            return globalScope.get(name);
        }
        return null;
    }

    @Override
    public int getAttributesScope(String name) {
        checkName(name);
        if (engineScope.containsKey(name)) {
            return ENGINE_SCOPE;
        }
        if (globalScope != null && globalScope.containsKey(name)) {
            return GLOBAL_SCOPE;
        }
        return -1;
    }

    // A script's own output (println, the engine's writer) goes where JSR-223's SimpleScriptContext
    // sends it: the process's standard output and error. It is the script's, not fhirmig's.
    @Override
    public synchronized Writer getWriter() {
        if (writer == null) {
            writer = new PrintWriter(System.out, true);
        }
        return writer;
    }

    @Override
    public synchronized Writer getErrorWriter() {
        if (errorWriter == null) {
            errorWriter = new PrintWriter(System.err, true);
        }
        return errorWriter;
    }

    @Override
    public synchronized void setWriter(Writer writer) {
        this.writer = writer;
    }

    @Override
    public synchronized void setErrorWriter(Writer writer) {
        this.errorWriter = writer;
    }

    @Override
    public synchronized Reader getReader() {
        if (reader == null) {
            reader = new InputStreamReader(System.in);
        }
        return reader;
    }

    @Override
    public synchronized void setReader(Reader reader) {
        this.reader = reader;
    }

    @Override
    public List<Integer> getScopes() {
        return SCOPES;
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name cannot be empty");
        }
    }
}
