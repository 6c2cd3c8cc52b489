package io.fhirmig.cli

/** One command line run in this JVM through {@link Main#run(PrintWriter, PrintWriter, String[])}. */
class CliRun {

    final int code
    final String out
    final String err

    private CliRun(int code, String out, String err) {
        this.code = code
        this.out = out
        this.err = err
    }

    static CliRun of(List<?> args) {
        def out = new StringWriter()
        def err = new StringWriter()
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args*.toString() as String[])
        new CliRun(code, out.toString(), err.toString())
    }

    static CliRun of(int code, String out, String err) {
        new CliRun(code, out, err)
    }

    @Override
    String toString() {
        "exit ${code}\n--- out\n${out}--- err\n${err}"
    }
}
