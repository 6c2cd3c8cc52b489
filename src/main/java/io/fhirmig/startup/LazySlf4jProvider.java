package io.fhirmig.startup;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.apache.logging.slf4j.Log4jLogger;
import org.apache.logging.slf4j.Log4jMDCAdapter;
import org.apache.logging.slf4j.Log4jMarkerFactory;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.spi.LoggingEventBuilder;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command line's SLF4J binding: loggers that answer from the {@link LazyLoggerContext}'s levels,
 * and hand a line that is written to Log4j's own SLF4J logger of their name, made then. Through
 * Log4j's binding, the first SLF4J logger (Apache HttpClient makes one, through commons-logging, as a
 * command opens its connection) waited for Log4j's {@code LogManager} to start, which looks for
 * Log4j's providers in every jar of the class path, a large part of a short command's time
 * (docs/performance.md, "SLF4J without Log4j's API"); and Log4j's SLF4J loggers, markers and context map
 * start its status logger, which reads every environment variable. The {@code slf4j.provider}
 * property names this binding ({@link LazyLoggerContextFactory#install}), so SLF4J looks for no other.
 */
public final class LazySlf4jProvider implements SLF4JServiceProvider {

    /** The SLF4J API this binding is written for (SLF4J compares the major and minor versions). */
    private static final String API_VERSION = "2.0.99";

    private final LazyLoggerContext context;
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private volatile Log4jMarkerFactory markers;
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
        // Everything is made when first asked for.
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return name -> loggers.computeIfAbsent(name, n -> new LazySlf4jLogger(n,
                // SLF4J's root logger is Log4j's root logger, whose name is empty (as Log4j's binding has it).
                context.getLogger(Logger.ROOT_LOGGER_NAME.equals(n) ? "" : n), this));
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers();
    }

    @Override
    public synchronized MDCAdapter getMDCAdapter() {
        if (mdc == null) {
            mdc = new Log4jMDCAdapter();
        }
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return API_VERSION;
    }

    private synchronized Log4jMarkerFactory markers() {
        if (markers == null) {
            markers = new Log4jMarkerFactory();
        }
        return markers;
    }

    /** An SLF4J logger over a lazy Log4j logger: Log4j's SLF4J logger is made for the first line written. */
    private static final class LazySlf4jLogger extends LegacyAbstractLogger {

        private static final long serialVersionUID = 1L;

        private final transient ExtendedLogger levels;
        private final transient LazySlf4jProvider provider;
        private transient volatile Logger written;

        LazySlf4jLogger(String name, ExtendedLogger levels, LazySlf4jProvider provider) {
            this.name = name;
            this.levels = levels;
            this.provider = provider;
        }

        @Override
        public boolean isTraceEnabled() {
            return levels.isTraceEnabled();
        }

        @Override
        public boolean isDebugEnabled() {
            return levels.isDebugEnabled();
        }

        @Override
        public boolean isInfoEnabled() {
            return levels.isInfoEnabled();
        }

        @Override
        public boolean isWarnEnabled() {
            return levels.isWarnEnabled();
        }

        @Override
        public boolean isErrorEnabled() {
            return levels.isErrorEnabled();
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
                Throwable throwable) {
            LoggingEventBuilder event = written().atLevel(level);
            if (marker != null) {
                event.addMarker(marker);
            }
            if (throwable != null) {
                event.setCause(throwable);
            }
            if (arguments != null) {
                for (Object argument : arguments) {
                    event.addArgument(argument);
                }
            }
            event.log(message);
        }

        private Logger written() {
            Logger logger = written;
            if (logger == null) {
                logger = new Log4jLogger(provider.markers(), levels, name);
                written = logger;
            }
            return logger;
        }
    }
}
