package io.fhirmig

import io.fhirmig.cli.Main
import java.nio.file.Path

/**
 * Runs fhirmig commands in this JVM as a user would type them, through {@link Main#run}, and keeps
 * what they printed. {@link #on} points a command at the test server, a versions folder and a namespace.
 */
final class Cli {

    /** What one command did: its exit code and what it printed on standard output and standard error. */
    static final class Result {
        final int code
        final String out
        final String err

        Result(int code, String out, String err) {
            this.code = code
            this.out = out
            this.err = err
        }

        /** The lines printed on standard output. */
        List<String> outLines() {
            out.readLines()
        }

        /** Standard output parsed as JSON. */
        Object json() {
            new groovy.json.JsonSlurper().parseText(out)
        }

        @Override
        String toString() {
            "exit ${code}\n--- out ---\n${out}--- err ---\n${err}"
        }
    }

    private Cli() {}

    static Result run(String... args) {
        def out = new StringWriter()
        def err = new StringWriter()
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args)
        new Result(code, out.toString(), err.toString())
    }

    /** Runs a command against the test server with the given versions folder and namespace. */
    static Result on(String namespace, Path versions, String... command) {
        run(*(command as List<String>), '--url', TestServer.baseUrl(), '--versions', versions.toString(),
                '--namespace', namespace)
    }
}
