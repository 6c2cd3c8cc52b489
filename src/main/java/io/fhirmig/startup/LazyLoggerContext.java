package io.fhirmig.startup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.spi.AbstractLogger;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;

/**
 * The command line's logging: Log4j's own context, started only when a line is to be written.
 * Starting it means reading {@code log4j2.properties}, finding Log4j's plugins in every jar of the
 * class path and building the appenders, and most commands (history, heads, current, check) write no
 * log line at all: they print their results.
 *
 * <p>Until then, whether a level is enabled is read from the same {@code log4j2.properties}
 * ({@link ConfiguredLevels}) and the levels the command line set; from then on, Log4j's own loggers
 * decide and write. Loggers handed out before are the same objects after, so a library that keeps its
 * logger in a static field loses nothing.
 */
public final class LazyLoggerContext implements LoggerContext {

    public static final LazyLoggerContext INSTANCE = new LazyLoggerContext(ConfiguredLevels.fromClasspath());

    private final Map<String, LazyLogger> loggers = new ConcurrentHashMap<>();
    private final ConfiguredLevels levels;
    private volatile org.apache.logging.log4j.core.LoggerContext started;

    LazyLoggerContext(ConfiguredLevels levels) {
        this.levels = levels;
    }

    @Override
    public Object getExternalContext() {
        return null;
    }

    @Override
    public ExtendedLogger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new LazyLogger(n, this));
    }

    @Override
    public ExtendedLogger getLogger(String name, MessageFactory messageFactory) {
        if (messageFactory == null) {
            return getLogger(name);
        }
        String key = name + '\n' + messageFactory.getClass().getName();
        return loggers.computeIfAbsent(key, k -> new LazyLogger(name, messageFactory, this));
    }

    @Override
    public boolean hasLogger(String name) {
        return loggers.containsKey(name);
    }

    @Override
    public boolean hasLogger(String name, MessageFactory messageFactory) {
        return messageFactory == null ? hasLogger(name)
                : loggers.containsKey(name + '\n' + messageFactory.getClass().getName());
    }

    @Override
    public boolean hasLogger(String name, Class<? extends MessageFactory> messageFactoryClass) {
        return messageFactoryClass == null ? hasLogger(name) : loggers.containsKey(name + '\n' + messageFactoryClass.getName());
    }

    /** Whether a logger of this name writes lines of this level; answered without starting Log4j. */
    boolean isEnabled(String name, Level level) {
        return level.isMoreSpecificThan(levels.levelOf(name));
    }

    /**
     * Sets the level of a logger and the loggers below it, as {@code Configurator.setLevel} does; kept
     * for Log4j's context if it is not started yet.
     */
    public synchronized void setLevel(String name, Level level) {
        levels.set(name, level);
        if (started != null) {
            apply(started, name, level);
        }
    }

    /** {@return Log4j's own context, started now if it was not} */
    org.apache.logging.log4j.core.LoggerContext log4j() {
        org.apache.logging.log4j.core.LoggerContext context = started;
        return context != null ? context : start();
    }

    /** {@return whether Log4j's own context has been started} */
    boolean isStarted() {
        return started != null;
    }

    private synchronized org.apache.logging.log4j.core.LoggerContext start() {
        if (started == null) {
            org.apache.logging.log4j.core.LoggerContext context = startLog4j();
            levels.overrides().forEach((name, level) -> apply(context, name, level));
            started = context;
        }
        return started;
    }

    /**
     * Log4j's context, configured from fhirmig's {@code log4j2.properties} read directly when those are
     * the levels read ahead ({@link ConfiguredLevels#known()}: no other configuration is named). Log4j's
     * own search for a configuration makes every configuration factory it knows first (the YAML and
     * JSON ones load Jackson's {@code ObjectMapper} to see whether they could work) and looks for a
     * dozen file names on the class path; it is left to find a configuration named to it.
     */
    private org.apache.logging.log4j.core.LoggerContext startLog4j() {
        ClassLoader loader = LazyLoggerContext.class.getClassLoader();
        String fqcn = LazyLoggerContext.class.getName();
        Log4jContextFactory factory = new Log4jContextFactory();
        ConfigurationSource source = levels.known() ? ConfigurationSource.fromResource(ConfiguredLevels.RESOURCE, loader) : null;
        if (source == null) {
            return factory.getContext(fqcn, loader, null, false);
        }
        return factory.getContext(fqcn, loader, null, false, new PropertiesConfigurationFactory().getConfiguration(null, source));
    }

    private static void apply(org.apache.logging.log4j.core.LoggerContext context, String name, Level level) {
        Configuration configuration = context.getConfiguration();
        LoggerConfig config = configuration.getLoggerConfig(name);
        if (config.getName().equals(name)) {
            config.setLevel(level);
        } else {
            configuration.addLogger(name, new LoggerConfig(name, level, true));
        }
        context.updateLoggers();
    }

    /** A logger that answers from the configured levels, and hands its lines to Log4j's own logger. */
    static final class LazyLogger extends AbstractLogger {

        private static final long serialVersionUID = 1L;

        private final transient LazyLoggerContext context;
        private transient volatile ExtendedLogger delegate;

        LazyLogger(String name, LazyLoggerContext context) {
            super(name);
            this.context = context;
        }

        LazyLogger(String name, MessageFactory messageFactory, LazyLoggerContext context) {
            super(name, messageFactory);
            this.context = context;
        }

        private ExtendedLogger delegate() {
            ExtendedLogger logger = delegate;
            if (logger == null) {
                logger = context.log4j().getLogger(getName(), getMessageFactory());
                delegate = logger;
            }
            return logger;
        }

        /** Before Log4j is started: the configured level; after: what Log4j's logger says. */
        private boolean enabled(Level level) {
            if (delegate == null && !context.isStarted() && context.levels.known()) {
                return context.isEnabled(getName(), level);
            }
            return delegate().isEnabled(level);
        }

        @Override
        public Level getLevel() {
            return context.isStarted() || !context.levels.known() ? delegate().getLevel() : context.levels.levelOf(getName());
        }

        @Override
        public void logMessage(String fqcn, Level level, org.apache.logging.log4j.Marker marker,
                org.apache.logging.log4j.message.Message message, Throwable t) {
            // Log4j's logger is asked again: it, not the levels read ahead, has the last word.
            ExtendedLogger logger = delegate();
            if (logger.isEnabled(level, marker, message, t)) {
                logger.logMessage(fqcn, level, marker, message, t);
            }
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker,
                org.apache.logging.log4j.message.Message message, Throwable t) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, CharSequence message, Throwable t) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, Object message, Throwable t) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Throwable t) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object... params) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1,
                Object p2) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1,
                Object p2, Object p3) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1,
                Object p2, Object p3, Object p4) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1,
                Object p2, Object p3, Object p4, Object p5) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1,
                Object p2, Object p3, Object p4, Object p5, Object p6) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1,
                Object p2, Object p3, Object p4, Object p5, Object p6, Object p7) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1,
                Object p2, Object p3, Object p4, Object p5, Object p6, Object p7, Object p8) {
            return enabled(level);
        }

        @Override
        public boolean isEnabled(Level level, org.apache.logging.log4j.Marker marker, String message, Object p0, Object p1,
                Object p2, Object p3, Object p4, Object p5, Object p6, Object p7, Object p8, Object p9) {
            return enabled(level);
        }
    }
}
