package io.fhirmig.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code Fhirmig.verify(VerifyOptions)} verifies, with what data, on which server.
 *
 * @param range which migrations: null or empty for all; {@code REV} for one; {@code FROM:TO} for those
 *     from FROM to TO, both included (either may be left out: base, the heads); the migrations before
 *     the range are applied first, unchecked
 * @param fixtures a folder of FHIR JSON files loaded before the first migration (a resource, or a Bundle
 *     of type transaction, batch or collection, per file), or null for none
 * @param onConfiguredServer verify on the server this fhirmig is configured with, which must then be a
 *     disposable one (it is changed, and left at the last migration); false for a fresh in-memory
 *     embedded server, started for the verification and stopped after it
 * @param listener told of the progress
 */
public record VerifyOptions(String range, Path fixtures, boolean onConfiguredServer, VerifyListener listener) {

    /**
     * Checks the listener.
     *
     * @param range which migrations
     * @param fixtures the fixtures folder, or null
     * @param onConfiguredServer whether the configured server is the scratch server
     * @param listener told of the progress
     */
    public VerifyOptions {
        Objects.requireNonNull(listener, "listener");
    }

    /**
     * All migrations, no fixtures, on a fresh in-memory embedded server, no progress shown.
     *
     * @return the defaults
     */
    public static VerifyOptions defaults() {
        return new VerifyOptions(null, null, false, VerifyListener.NONE);
    }

    /**
     * These options for a range of migrations.
     *
     * @param range {@code REV}, {@code FROM:TO}, or null for all
     * @return the new options
     */
    public VerifyOptions range(String range) {
        return new VerifyOptions(range, fixtures, onConfiguredServer, listener);
    }

    /**
     * These options with a fixtures folder.
     *
     * @param fixtures the folder, or null for none
     * @return the new options
     */
    public VerifyOptions fixtures(Path fixtures) {
        return new VerifyOptions(range, fixtures, onConfiguredServer, listener);
    }

    /**
     * These options verifying on the configured server, which the caller declares disposable.
     *
     * @param onConfiguredServer true to use the configured server as the scratch server
     * @return the new options
     */
    public VerifyOptions onConfiguredServer(boolean onConfiguredServer) {
        return new VerifyOptions(range, fixtures, onConfiguredServer, listener);
    }

    /**
     * These options with a listener.
     *
     * @param listener told of the progress
     * @return the new options
     */
    public VerifyOptions listener(VerifyListener listener) {
        return new VerifyOptions(range, fixtures, onConfiguredServer, listener);
    }
}
