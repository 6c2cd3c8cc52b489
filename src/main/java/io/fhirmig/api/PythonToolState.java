package io.fhirmig.api;

import java.time.Instant;

/**
 * What the Python tool fhirmig descends from recorded on the server: its {@code Basic} resource and
 * the one revision it kept.
 *
 * @param resource the resource, {@code Basic/ID}
 * @param identifier its identifier, {@code system|value}
 * @param revision the revision it recorded as applied, or null when it recorded none
 * @param lastUpdated when the resource was last updated, or null
 */
public record PythonToolState(String resource, String identifier, String revision, Instant lastUpdated) {
}
