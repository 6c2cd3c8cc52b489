package io.fhirmig.startup;

import java.net.URI;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.spi.LoggerContextFactory;

/**
 * The command line's Log4j: one {@link LazyLoggerContext}, which starts Log4j's own (reading
 * {@code log4j2.properties}, building its appenders) only when a line is to be written. Installed by
 * {@link #install()} before anything logs, with SLF4J's binding to it ({@link LazySlf4jProvider}); an
 * application that uses fhirmig as a library never gets them.
 */
public final class LazyLoggerContextFactory implements LoggerContextFactory {

    private static final String PROPERTY = "log4j2.loggerContextFactory";
    private static final String SLF4J_PROVIDER = "slf4j.provider";
    private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";
    private static volatile boolean installed;

    /** Log4j makes the factory it is told of itself, with this constructor. */
    public LazyLoggerContextFactory() {
    }

    /** Makes Log4j use this factory, unless it has been told of another one. Before Log4j's first use. */
    public static void install() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, LazyLoggerContextFactory.class.getName());
            installed = true;
            if (System.getProperty(SLF4J_PROVIDER) == null) {
                System.setProperty(SLF4J_PROVIDER, LazySlf4jProvider.class.getName());
                // SLF4J reports a provider named this way on standard error, at its default verbosity.
                if (System.getProperty(SLF4J_VERBOSITY) == null) {
                    System.setProperty(SLF4J_VERBOSITY, "WARN");
                }
            }
        }
    }

    /**
     * {@return whether {@link #install} made this factory Log4j's, so that the {@link LazyLoggerContext}
     * is the context without asking Log4j's {@code LogManager}, whose start looks through every jar}
     */
    public static boolean installed() {
        return installed;
    }

    @Override
    public LoggerContext getContext(String fqcn, ClassLoader loader, Object externalContext, boolean currentContext) {
        return LazyLoggerContext.INSTANCE;
    }

    @Override
    public LoggerContext getContext(String fqcn, ClassLoader loader, Object externalContext, boolean currentContext,
            URI configLocation, String name) {
        return LazyLoggerContext.INSTANCE;
    }

    @Override
    public void removeContext(LoggerContext context) {
        // The one context lives as long as the process.
    }

    @Override
    public boolean isClassLoaderDependent() {
        return false;
    }
}
