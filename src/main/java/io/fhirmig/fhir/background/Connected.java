package io.fhirmig.fhir.background;

/**
 * The server a command uses, and what it took to get it.
 *
 * @param server the server
 * @param started whether this command started it
 * @param replaced the server of another build that was stopped to start this one, or {@code null}
 */
public record Connected(RunningServer server, boolean started, RunningServer replaced) {
}
