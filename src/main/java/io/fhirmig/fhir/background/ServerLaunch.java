package io.fhirmig.fhir.background;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a detached {@code fhirmig serve}: the same java, the same classes and the same
 * JVM options as this process (the start-up archive, {@code FHIRMIG_JAVA_OPTS}), less those that only
 * suit a short command or this one process, in a session of its own so that the terminal's Ctrl-C
 * and hang-up do not reach it.
 */
final class ServerLaunch {

    /** The launcher's options for short commands, which a long-running server does without. */
    private static final List<String> SHORT_COMMAND_ONLY = List.of("-XX:TieredStopAtLevel=", "-XX:-UsePerfData",
            "-XX:DumpLoadedClassList=", "-XX:ArchiveClassesAtExit=", "-agentlib:", "-agentpath:", "-javaagent:",
            "-Xrunjdwp", "-Xdebug");
    private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");
    private static final String MAIN = "io.fhirmig.cli.Main";

    private ServerLaunch() {
    }

    static List<String> command(Path dataDir, Duration idleStop) {
        List<String> command = new ArrayList<>(detached());
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (SHORT_COMMAND_ONLY.stream().noneMatch(option::startsWith)) {
                command.add(option);
            }
        }
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            // As the launcher runs it, so that the start-up archive, made for -jar, applies.
            command.addAll(List.of("-jar", classPath));
        } else {
            command.addAll(List.of("-cp", classPath, MAIN));
        }
        command.addAll(List.of("serve", "--port", "0", "--background", "--idle-stop", idleStop.toMillis() + "ms",
                "--data-dir", dataDir.toAbsolutePath().toString()));
        return command;
    }

    private static List<String> detached() {
        for (String setsid : SETSID) {
            if (Files.isExecutable(Path.of(setsid))) {
                return List.of(setsid);
            }
        }
        // Without setsid (macOS): the signals a terminal sends its foreground jobs are ignored, which
        // the JVM keeps (it installs no handler for a signal ignored at its start).
        return List.of("/bin/sh", "-c", "trap '' HUP INT TSTP; exec \"$@\"", "fhirmig-serve");
    }
}
