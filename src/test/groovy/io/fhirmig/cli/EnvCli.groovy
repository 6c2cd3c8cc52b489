package io.fhirmig.cli

import picocli.CommandLine

/**
 * Runs a command line in this JVM as {@link Main} does, with the given environment in place of the
 * process's (which a test cannot change): how the specifications set FHIRMIG_TOKEN and friends.
 */
final class EnvCli {

    private EnvCli() {}

    static CliRun run(Map<String, String> environment, List<?> args) {
        CommandLine cmd = Main.newCommandLine()
        ((FhirmigCommand) cmd.command).environment = environment
        def out = new StringWriter()
        def err = new StringWriter()
        cmd.out = new PrintWriter(out, true)
        cmd.err = new PrintWriter(err, true)
        int code = cmd.execute(args*.toString() as String[])
        CliRun.of(code, out.toString(), err.toString())
    }
}
