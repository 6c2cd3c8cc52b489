package io.fhirmig.startup;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.Level;

/**
 * The levels of the loggers as {@code log4j2.properties} sets them ({@code rootLogger.level},
 * {@code logger.ID.name} with {@code logger.ID.level}), and as the command line then sets them, read
 * without starting Log4j: a logger's level is that of the nearest of its name and its parents' names
 * (dot-separated) that has one, as in Log4j. Unknown when the file is not fhirmig's plain form, or
 * another configuration is named (then Log4j itself is asked).
 */
public final class ConfiguredLevels {

    static final String RESOURCE = "log4j2.properties";

    /** The configured levels by logger name; the root logger is "". {@code null} if unknown. */
    private final Map<String, Level> configured;
    /**
     * The levels set since, with each logger's resolved level: libraries ask for a level on every
     * call they might log from (HAPI and Hibernate, many times per resource in the embedded server),
     * so the walk up the names is made once per logger. A new level replaces the whole, so an answer
     * worked out against the old levels never lands in the new cache.
     */
    private volatile Overrides current = new Overrides(Map.of());

    private record Overrides(Map<String, Level> levels, Map<String, Level> resolved) {
        Overrides(Map<String, Level> levels) {
            this(levels, new ConcurrentHashMap<>());
        }
    }

    ConfiguredLevels(Map<String, Level> configured) {
        this.configured = configured;
    }

    /** {@return the levels of fhirmig's own log4j2.properties, or unknown levels if another configuration applies} */
    static ConfiguredLevels fromClasspath() {
        if (System.getProperty("log4j2.configurationFile") != null || System.getProperty("log4j.configurationFile") != null
                || System.getenv("LOG4J_CONFIGURATION_FILE") != null) {
            return new ConfiguredLevels(null);
        }
        Properties properties = new Properties();
        try (InputStream in = ConfiguredLevels.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new ConfiguredLevels(null);
            }
            properties.load(in);
        } catch (IOException e) {
            return new ConfiguredLevels(null);
        }
        return new ConfiguredLevels(parse(properties));
    }

    /** {@return the levels the properties set, or {@code null} if they set one in a form not read here} */
    static Map<String, Level> parse(Properties properties) {
        Map<String, Level> levels = new ConcurrentHashMap<>();
        String root = properties.getProperty("rootLogger.level");
        if (root == null || properties.getProperty("rootLogger") != null) {
            return null;
        }
        Level rootLevel = Level.toLevel(root.trim(), null);
        if (rootLevel == null) {
            return null;
        }
        levels.put("", rootLevel);
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("logger.")) {
                continue;
            }
            String[] parts = key.split("\\.");
            if (parts.length == 2) {
                return null; // logger.ID = LEVEL, appender: a short form this does not read
            }
            if (parts.length == 3 && parts[2].equals("name")) {
                String name = properties.getProperty(key).trim();
                String level = properties.getProperty("logger." + parts[1] + ".level");
                Level parsed = level == null ? null : Level.toLevel(level.trim(), null);
                if (parsed == null) {
                    return null;
                }
                levels.put(name, parsed);
            }
        }
        return levels;
    }

    /** {@return whether the levels are known without Log4j} */
    boolean known() {
        return configured != null;
    }

    /** Sets a logger's level, as the command line does for -q and -v. */
    synchronized void set(String name, Level level) {
        Map<String, Level> levels = new HashMap<>(current.levels());
        levels.put(name, level);
        current = new Overrides(Map.copyOf(levels));
    }

    /** {@return the levels set after the configuration was read, by logger name} */
    Map<String, Level> overrides() {
        return current.levels();
    }

    /** {@return the level of a logger: that of the nearest name up its hierarchy that has one} Only when {@link #known()}. */
    Level levelOf(String name) {
        String key = name == null ? "" : name;
        Overrides overrides = current;
        Level resolved = overrides.resolved().get(key);
        if (resolved == null) {
            resolved = walk(key, overrides.levels());
            overrides.resolved().put(key, resolved);
        }
        return resolved;
    }

    private Level walk(String name, Map<String, Level> overrides) {
        String current = name;
        while (true) {
            Level level = overrides.get(current);
            if (level == null) {
                level = configured.get(current);
            }
            if (level != null) {
                return level;
            }
            if (current.isEmpty()) {
                return Level.ERROR; // Log4j's own default for a root logger without a level
            }
            int dot = current.lastIndexOf('.');
            current = dot < 0 ? "" : current.substring(0, dot);
        }
    }
}
