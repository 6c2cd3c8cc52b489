package io.fhirmig.cli;

import java.io.Console;

/** The user's terminal, to ask a question on; none when fhirmig runs in a script or a pipeline. */
interface Terminal {

    /** {@return whether there is a terminal to ask on} */
    boolean available();

    /**
     * Asks a question and reads the answer.
     *
     * @param prompt the question, e.g. {@code "Go on? [y/N] "}
     * @return the line typed, or null when the terminal was closed
     */
    String ask(String prompt);

    /** The process's terminal: {@link System#console()}, which is none unless both input and output are one. */
    static Terminal system() {
        return new Terminal() {
            @Override
            public boolean available() {
                return System.console() != null;
            }

            @Override
            public String ask(String prompt) {
                Console console = System.console();
                return console == null ? null : console.readLine("%s", prompt);
            }
        };
    }
}
