package io.fhirmig.cli;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a setting can come from besides its option: the environment and the settings file. The
 * option, when given, is stronger than both.
 */
record SettingSources(Map<String, String> environment, Properties file) {

    /** The first non-blank of: the option, the environment variables in order, the file's key; else {@code fallback}. */
    String pick(String option, List<String> envNames, String key, String fallback) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        for (String name : envNames) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        String fromFile = key == null ? null : file.getProperty(key);
        if (fromFile != null && !fromFile.isBlank()) {
            return fromFile.trim();
        }
        return fallback;
    }

    String env(String name) {
        String value = environment.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public String toString() {
        // The environment holds secrets.
        return "SettingSources[" + file.stringPropertyNames() + "]";
    }
}
