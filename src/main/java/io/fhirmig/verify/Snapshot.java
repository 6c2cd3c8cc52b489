package io.fhirmig.verify;

import io.fhirmig.run.ResourceValues;
import java.util.Map;

/**
 * The server's resources at one moment, as far as they can differ from another snapshot of the same
 * verification: every resource written since it started, by key ({@code Patient/legacy-1}), with its
 * values ({@link ResourceValues}); a key mapped to null is a resource deleted. A resource written
 * only after this snapshot was taken is as it was before the verification (see
 * {@link ServerChanges#original}).
 *
 * @param resources the values of each resource written so far, null for one deleted
 */
record Snapshot(Map<String, Map<String, String>> resources) {
}
