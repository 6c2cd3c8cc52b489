package io.fhirmig.cli;

import io.fhirmig.api.GeneratedScript;
import io.fhirmig.api.Json;
import java.io.PrintWriter;

/** What {@code generate} and {@code merge} say once they have written a script. */
final class Generated {

    private Generated() {}

    /**
     * Prints the path written on standard output (alone, so that {@code $EDITOR $(fhirmig generate x)}
     * works), and the details on standard error; or, with {@code json}, the whole result as JSON. A name
     * made into a slug is said on standard error.
     *
     * @param asked the name asked for, or null (a merge)
     */
    static void report(GeneratedScript written, String asked, boolean json, PrintWriter out, PrintWriter err) {
        if (asked != null && !written.name().equals(asked)) {
            err.println("named it " + written.name() + " (from '" + asked + "')");
        }
        if (json) {
            out.println(Json.pretty(written));
            out.flush();
            return;
        }
        out.println(written.file());
        out.flush();
        err.println("revision " + written.revision() + ", downRevision "
                + (written.downRevisions().isEmpty() ? "none (the first migration)" : String.join(", ", written.downRevisions()))
                + ("built-in".equals(written.template()) ? "; built-in template" : "; template " + written.template()));
        err.flush();
    }
}
