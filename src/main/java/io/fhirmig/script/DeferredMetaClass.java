package io.fhirmig.script;

import groovy.lang.GroovySystem;
import groovy.lang.MetaClass;
import groovy.lang.MetaMethod;
import groovy.lang.MetaProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.reflection.CachedMethod;
import org.codehaus.groovy.reflection.ReflectionCache;

/**
 * The meta-class of a migration script's class, built the first time something asks it a question.
 *
 * <p>Groovy gives every class a meta-class, built from every method the class has or inherits
 * (Groovy's own extension methods of {@code Object} included) and every bean property, and it
 * builds it as the class's first object is constructed. A script is a new class of its own, so an
 * upgrade of thousands of migrations would build thousands of meta-classes, a large share of each
 * step's CPU time (docs/performance.md). Most scripts never need theirs: the bindings ({@code fhir}, {@code log},
 * {@code migration}, {@code context}) are read through {@code Script.getProperty}, the header's
 * assignments go through {@code Script.setProperty}, and two questions Groovy's JSR-223 engine asks
 * of every script are answered without it:
 * <ul>
 *   <li>{@link #respondsTo(Object, String)}, which the engine asks for each of the forty-odd public
 *       methods of the script's class as it makes a closure for each (its "global functions"): from
 *       the meta-class of the script's superclass ({@code Script}'s, built once per JVM) and the
 *       methods the script's class declares;</li>
 *   <li>the call of {@code upgrade()} or {@code downgrade()} that fhirmig makes through
 *       {@code Invocable.invokeFunction}: see {@link ScriptFunctions}.</li>
 * </ul>
 * A script that calls its own helper functions, or {@code println} on a context without a writer,
 * builds it on that first call and is answered by it from then on.
 *
 * <p>Groovy's call sites treat a meta-class that is not its own {@code MetaClassImpl} as they treat
 * any delegating meta-class: they ask it every time, as they ask the delegating meta-class that
 * Groovy's JSR-223 engine puts on every script object (in front of this one).
 */
final class DeferredMetaClass implements MetaClass {

    private final Class<?> theClass;
    private final Supplier<MetaClass> builder;
    private volatile MetaClass built;

    /**
     * @param theClass the script's class
     * @param builder builds and initialises the real meta-class; called at most once
     */
    DeferredMetaClass(Class<?> theClass, Supplier<MetaClass> builder) {
        this.theClass = Objects.requireNonNull(theClass, "theClass");
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /** {@return whether the real meta-class has been built} */
    boolean isBuilt() {
        return built != null;
    }

    private MetaClass real() {
        MetaClass current = built;
        if (current == null) {
            synchronized (this) {
                current = built;
                if (current == null) {
                    current = builder.get();
                    built = current;
                }
            }
        }
        return current;
    }

    /** Does nothing: Groovy calls this as it registers the meta-class, and building is what is put off. */
    @Override
    public void initialize() {
        // The real meta-class is initialised when it is built.
    }

    @Override
    public Class getTheClass() {
        return theClass;
    }

    @Override
    public Object invokeMethod(Class sender, Object receiver, String methodName, Object[] arguments,
            boolean isCallToSuper, boolean fromInsideClass) {
        if (!isCallToSuper && ScriptFunctions.isMarked(theClass, receiver, methodName, arguments)) {
            Object result = ScriptFunctions.invoke(receiver, methodName);
            if (result != ScriptFunctions.NOT_DECLARED) {
                return result;
            }
        }
        return real().invokeMethod(sender, receiver, methodName, arguments, isCallToSuper, fromInsideClass);
    }

    @Override
    public Object getProperty(Class sender, Object receiver, String property, boolean isCallToSuper,
            boolean fromInsideClass) {
        return real().getProperty(sender, receiver, property, isCallToSuper, fromInsideClass);
    }

    @Override
    public void setProperty(Class sender, Object receiver, String property, Object value, boolean isCallToSuper,
            boolean fromInsideClass) {
        real().setProperty(sender, receiver, property, value, isCallToSuper, fromInsideClass);
    }

    @Override
    public Object invokeMissingMethod(Object instance, String methodName, Object[] arguments) {
        return real().invokeMissingMethod(instance, methodName, arguments);
    }

    @Override
    public Object invokeMissingProperty(Object instance, String propertyName, Object optionalValue, boolean isGetter) {
        return real().invokeMissingProperty(instance, propertyName, optionalValue, isGetter);
    }

    @Override
    public Object getAttribute(Class sender, Object receiver, String messageName, boolean useSuper) {
        return real().getAttribute(sender, receiver, messageName, useSuper);
    }

    @Override
    public void setAttribute(Class sender, Object receiver, String messageName, Object messageValue, boolean useSuper,
            boolean fromInsideClass) {
        real().setAttribute(sender, receiver, messageName, messageValue, useSuper, fromInsideClass);
    }

    @Override
    public List<MetaProperty> getProperties() {
        return real().getProperties();
    }

    @Override
    public List<MetaMethod> getMethods() {
        return real().getMethods();
    }

    @Override
    public ClassNode getClassNode() {
        return real().getClassNode();
    }

    @Override
    public List<MetaMethod> getMetaMethods() {
        return real().getMetaMethods();
    }

    @Override
    public int selectConstructorAndTransformArguments(int numberOfConstructors, Object[] arguments) {
        return real().selectConstructorAndTransformArguments(numberOfConstructors, arguments);
    }

    @Override
    public MetaMethod pickMethod(String methodName, Class[] arguments) {
        return real().pickMethod(methodName, arguments);
    }

    @Override
    public List<MetaMethod> respondsTo(Object obj, String name, Object[] argTypes) {
        return real().respondsTo(obj, name, argTypes);
    }

    /**
     * The methods of that name, as Groovy's meta-class would list them; before it is built, those of
     * the superclass's meta-class (Groovy's own extension methods included), with those the script's
     * class declares in place of any with the same parameters.
     */
    @Override
    public List<MetaMethod> respondsTo(Object obj, String name) {
        MetaClass current = built;
        Class<?> superclass = theClass.getSuperclass();
        if (current != null || superclass == null) {
            return real().respondsTo(obj, name);
        }
        List<MetaMethod> inherited = GroovySystem.getMetaClassRegistry().getMetaClass(superclass).respondsTo(obj, name);
        List<MetaMethod> methods = null;
        for (CachedMethod declared : ReflectionCache.getCachedClass(theClass).getMethods()) {
            if (!declared.getName().equals(name)) {
                continue;
            }
            if (methods == null) {
                methods = new ArrayList<>(inherited);
            }
            methods.removeIf(method -> Arrays.equals(method.getNativeParameterTypes(), declared.getNativeParameterTypes()));
            methods.add(declared);
        }
        return methods != null ? methods : inherited;
    }

    @Override
    public MetaProperty hasProperty(Object obj, String name) {
        return real().hasProperty(obj, name);
    }

    @Override
    public MetaProperty getMetaProperty(String name) {
        return real().getMetaProperty(name);
    }

    @Override
    public MetaMethod getStaticMetaMethod(String name, Object[] args) {
        return real().getStaticMetaMethod(name, args);
    }

    @Override
    public MetaMethod getMetaMethod(String name, Object[] args) {
        return real().getMetaMethod(name, args);
    }

    @Override
    public Object invokeConstructor(Object[] arguments) {
        return real().invokeConstructor(arguments);
    }

    @Override
    public Object invokeMethod(Object object, String methodName, Object[] arguments) {
        return real().invokeMethod(object, methodName, arguments);
    }

    @Override
    public Object invokeMethod(Object object, String methodName, Object arguments) {
        return real().invokeMethod(object, methodName, arguments);
    }

    @Override
    public Object invokeStaticMethod(Object object, String methodName, Object[] arguments) {
        return real().invokeStaticMethod(object, methodName, arguments);
    }

    @Override
    public Object getProperty(Object object, String property) {
        return real().getProperty(object, property);
    }

    @Override
    public void setProperty(Object object, String property, Object newValue) {
        real().setProperty(object, property, newValue);
    }

    @Override
    public Object getAttribute(Object object, String attribute) {
        return real().getAttribute(object, attribute);
    }

    @Override
    public void setAttribute(Object object, String attribute, Object newValue) {
        real().setAttribute(object, attribute, newValue);
    }

    @Override
    public String toString() {
        return "DeferredMetaClass[" + theClass.getName() + (isBuilt() ? ", built" : "") + "]";
    }
}
