package io.fhirmig.fhir.background;

import io.fhirmig.util.BuildIdentity;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server that answers for a data folder, as it describes itself.
 *
 * @param pid its process
 * @param baseUrl its FHIR base URL on loopback
 * @param dataDir the folder of its database
 * @param build the build of fhirmig it runs (see {@link BuildIdentity})
 * @param background started in the background by a command (else a foreground {@code fhirmig serve})
 * @param idleStop how long without requests before it stops itself; {@code null} for never
 * @param idleLeft how long it would still wait now; {@code null} for never
 */
public record RunningServer(long pid, String baseUrl, Path dataDir, String build, boolean background,
        Duration idleStop, Duration idleLeft) {

    /** Whether it runs the same build of fhirmig as this process. */
    public boolean sameBuild() {
        return BuildIdentity.current().equals(build);
    }
}
