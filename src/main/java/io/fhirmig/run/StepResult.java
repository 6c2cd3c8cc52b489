package io.fhirmig.run;

import io.fhirmig.graph.Direction;

/** One step that ran and committed. */
public record StepResult(String revision, String file, Direction direction, long durationMs) {
}
