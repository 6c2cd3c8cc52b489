package io.fhirmig.script;

/**
 * Makes the scripts' class loader the thread's context class loader while script code runs, and
 * puts the previous one back after. Groovy and the JavaBeans introspector look up companion
 * classes of each new script class (bean infos, customizers) through the context class loader;
 * the scripts' loader knows at once that those do not exist, where the application's would search
 * every jar for them. Scripts that use {@code ServiceLoader} or similar see their own classes too.
 */
final class ScriptThread implements AutoCloseable {

    private final Thread thread;
    private final ClassLoader previous;

    private ScriptThread(Thread thread, ClassLoader previous) {
        this.thread = thread;
        this.previous = previous;
    }

    static ScriptThread enter(ClassLoader loader) {
        Thread thread = Thread.currentThread();
        ScriptThread entered = new ScriptThread(thread, thread.getContextClassLoader());
        thread.setContextClassLoader(loader);
        return entered;
    }

    @Override
    public void close() {
        thread.setContextClassLoader(previous);
    }
}
