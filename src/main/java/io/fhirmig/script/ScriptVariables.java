package io.fhirmig.script;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.script.SimpleBindings;

/**
 * The engine scope of a migration script's {@link MigrationScriptContext}: the bindings and the
 * variables the script assigns. Some bindings are made the first time the script reads them: HAPI's
 * FHIR context and client are costly to start, and a migration that sends
 * nothing (a no-op, a step kept for the graph's shape) should not pay for them. To the script, and
 * to anyone who lists the scope, such a binding is there like any other.
 */
final class ScriptVariables extends SimpleBindings {

    /** The bindings not made yet, by name. */
    private final Map<String, Supplier<?>> pending = new LinkedHashMap<>();

    ScriptVariables() {
        super(new HashMap<>());
    }

    /** Binds a name to a value made on first read; the supplier is called at most once. */
    synchronized void putLazily(String name, Supplier<?> value) {
        super.remove(name);
        pending.put(name, value);
    }

    /** {@return whether the named binding has been made, or was never lazy} */
    synchronized boolean isMade(String name) {
        return !pending.containsKey(name);
    }

    private synchronized void make(Object name) {
        Supplier<?> supplier = pending.remove(name);
        if (supplier != null) {
            super.put((String) name, supplier.get());
        }
    }

    private synchronized void makeAll() {
        for (Object name : pending.keySet().toArray()) {
            make(name);
        }
    }

    @Override
    public synchronized Object get(Object key) {
        make(key);
        return super.get(key);
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return pending.containsKey(key) || super.containsKey(key);
    }

    @Override
    public synchronized Object put(String name, Object value) {
        make(name);
        return super.put(name, value);
    }

    @Override
    public synchronized void putAll(Map<? extends String, ? extends Object> toMerge) {
        for (Map.Entry<? extends String, ? extends Object> entry : toMerge.entrySet()) {
            put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public synchronized Object remove(Object key) {
        make(key);
        return super.remove(key);
    }

    @Override
    public synchronized void clear() {
        pending.clear();
        super.clear();
    }

    @Override
    public synchronized boolean containsValue(Object value) {
        makeAll();
        return super.containsValue(value);
    }

    @Override
    public synchronized Set<Map.Entry<String, Object>> entrySet() {
        makeAll();
        return super.entrySet();
    }

    @Override
    public synchronized Set<String> keySet() {
        makeAll();
        return super.keySet();
    }

    @Override
    public synchronized Collection<Object> values() {
        makeAll();
        return super.values();
    }

    @Override
    public synchronized int size() {
        return pending.size() + super.size();
    }

    @Override
    public synchronized boolean isEmpty() {
        return pending.isEmpty() && super.isEmpty();
    }
}
