package io.fhirmig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The version Maven wrote into {@code fhirmig-version.properties} at build time. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"fhirmig " + version(), "Java " + System.getProperty("java.version")};
    }

    /** {@return the version lines as {@code --version} prints them, each ending in a line separator} */
    static String text() {
        StringBuilder text = new StringBuilder();
        for (String line : new VersionProvider().getVersion()) {
            text.append(line).append(System.lineSeparator());
        }
        return text.toString();
    }

    static String version() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/fhirmig-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Fall through to "unknown": a version line is never worth failing a command for.
        }
        return properties.getProperty("version", "unknown");
    }
}
