package io.fhirmig.cli;

import io.fhirmig.api.FhirmigException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a command says before it uses the embedded server. With no project found and no server given,
 * a plain notice that this folder gets a server of its own, which a command that writes asks to
 * confirm on a terminal (without one, in a script or CI, it goes on after the notice). {@code url=embedded} or {@code --url embedded} chooses the embedded server,
 * and the plain notice is not given.
 */
final class EmbeddedNotice {

    private EmbeddedNotice() {}

    /**
     * Says plainly that nobody chose the embedded server, when so; which one is used, background or in
     * this process, is said by {@link EmbeddedEndpoint}.
     */
    static void print(Settings settings, PrintWriter err) {
        if (!settings.embeddedUnchosen()) {
            return;
        }
        err.println("no fhirmig.properties here or in a folder above, and no server given: using an embedded FHIR"
                + " server for this folder (data in " + settings.embeddedData() + "). Give a server with url= in"
                + " fhirmig.properties (`fhirmig init` writes one), FHIRMIG_URL or --url; --url embedded chooses"
                + " this one");
        err.flush();
    }

    /**
     * For a command that writes ({@code upgrade}, {@code downgrade}, {@code stamp}): with no project
     * and no server given, says so and asks on a terminal whether to go on.
     *
     * @param command the command's name, for the question
     * @return the settings to run with: the embedded server chosen once confirmed, or as they were
     * @throws FhirmigException ({@code USAGE}) when the answer is not yes: nothing was done
     */
    static Settings confirm(Settings settings, Terminal terminal, PrintWriter err, String command) {
        if (!settings.embeddedUnchosen() || !terminal.available()) {
            return settings;
        }
        print(settings, err);
        String answer = terminal.ask(command + " against this embedded server? [y/N] ");
        String yes = answer == null ? "" : answer.trim().toLowerCase(Locale.ROOT);
        if (yes.equals("y") || yes.equals("yes")) {
            return settings.withEmbeddedChosen();
        }
        throw new FhirmigException(FhirmigException.Kind.USAGE, command + " not confirmed; nothing was done."
                + " Run it where fhirmig.properties is (or below), or give --url (--url embedded for this folder's"
                + " server)");
    }
}
