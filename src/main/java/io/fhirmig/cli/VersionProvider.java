package io.fhirmig.cli;

import io.fhirmig.api.BuildInfo;
import picocli.CommandLine;

/** The version lines of {@code --version}: fhirmig's, as Maven built it, and the Java running it. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"fhirmig " + BuildInfo.VERSION, "Java " + System.getProperty("java.version")};
    }

    /** {@return the version lines as {@code --version} prints them, each ending in a line separator} */
    static String text() {
        StringBuilder text = new StringBuilder();
        for (String line : new VersionProvider().getVersion()) {
            text.append(line).append(System.lineSeparator());
        }
        return text.toString();
    }
}
