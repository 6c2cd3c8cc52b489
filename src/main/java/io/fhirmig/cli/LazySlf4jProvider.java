package io.fhirmig.cli;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.logging.slf4j.Log4jLogger;
import org.apache.logging.slf4j.Log4jMDCAdapter;
import org.apache.logging.slf4j.Log4jMarkerFactory;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command line's SLF4J binding: Log4j's own SLF4J loggers, each over the {@link
 * LazyLoggerContext}'s logger of its name, made without Log4j's {@code LogManager}. Through Log4j's
 * binding, the first SLF4J logger (Apache HttpClient makes one, through commons-logging, as a command
 * opens its connection) waited for {@code LogManager} to start, which looks for Log4j's providers in
 * every one of the 172 jars: a tenth of a second of a short command's main thread, and a fifth of a
 * second of CPU in all. The {@code slf4j.provider} property names it ({@link
 * LazyLoggerContextFactory#install}), so SLF4J looks for no other binding.
 */
public final class LazySlf4jProvider implements SLF4JServiceProvider {

    /** The SLF4J API this binding is written for (SLF4J compares the major and minor versions). */
    private static final String API_VERSION = "2.0.99";

    private final LazyLoggerContext context;
    private volatile Log4jMarkerFactory markers;
    private volatile ILoggerFactory loggers;
    private volatile MDCAdapter mdc;

    /** SLF4J makes the provider it is told of itself, with this constructor. */
    public LazySlf4jProvider() {
        this(LazyLoggerContext.INSTANCE);
    }

    LazySlf4jProvider(LazyLoggerContext context) {
        this.context = context;
    }

    @Override
    public void initialize() {
        Log4jMarkerFactory markerFactory = new Log4jMarkerFactory();
        ConcurrentMap<String, Logger> made = new ConcurrentHashMap<>();
        markers = markerFactory;
        loggers = name -> made.computeIfAbsent(name, n -> new Log4jLogger(markerFactory,
                // SLF4J's root logger is Log4j's root logger, whose name is empty (as Log4j's binding does).
                context.getLogger(Logger.ROOT_LOGGER_NAME.equals(n) ? "" : n), n));
        mdc = new Log4jMDCAdapter();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return API_VERSION;
    }
}
