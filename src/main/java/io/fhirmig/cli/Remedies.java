package io.fhirmig.cli;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import java.util.EnumMap;
import java.util.Map;

/**
 * The remedies of the library's errors as the command line words them: with its options and
 * environment variables instead of the library's setting names.
 */
final class Remedies {

    private static final Map<Remedy, String> WORDS = new EnumMap<>(Remedy.class);

    static {
        WORDS.put(Remedy.WAIT_FOR_LOCK, "; wait for it, pass --lock-wait SECONDS, or if that run is dead clear it with"
                + " `fhirmig unlock`");
        WORDS.put(Remedy.VERSIONS_FOLDER, ": create it with `fhirmig init`, or point --versions / FHIRMIG_VERSIONS at"
                + " your migrations");
        WORDS.put(Remedy.UPGRADE_FIRST, "; run `fhirmig upgrade` first (or use --offline to follow the graph's head"
                + " without asking the server)");
        WORDS.put(Remedy.NEW_REVISION_ID, "; choose another, or leave --rev-id out for a new random one");
        WORDS.put(Remedy.TRUST_CA, ": give the certificate of its CA with --ca-file FILE (FHIRMIG_CA_FILE)");
        WORDS.put(Remedy.CHECK_URL, "; check --url / FHIRMIG_URL and that the server is running");
        WORDS.put(Remedy.WRITABLE_DATA_FOLDER, ": run fhirmig in a project folder you can write to, or give a server"
                + " with --url (`fhirmig serve --in-memory` keeps its data in memory)");
        WORDS.put(Remedy.MERGE_HEADS_ONLY, "; merge joins heads (see `fhirmig heads`)");
        WORDS.put(Remedy.OTHER_PORT, ": choose another with --port");
    }

    private Remedies() {
    }

    /** The exception's message for the command line. */
    static String message(FhirmigException e) {
        if (e.remedy() != null) {
            return e.problem() + WORDS.get(e.remedy());
        }
        return translate(e.getMessage());
    }

    /** A message that may quote a library error (a step's failure, a check's detail), for the command line. */
    static String translate(String message) {
        if (message == null) {
            return null;
        }
        String words = message;
        for (Map.Entry<Remedy, String> remedy : WORDS.entrySet()) {
            words = words.replace(remedy.getKey().forLibrary(), remedy.getValue());
        }
        return words;
    }
}
