package io.fhirmig.run;

import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.script.MigrationScript;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds HAPI's FHIR model and JSON parser on a thread of its own as a run starts, when its first
 * scripts may use them, so that the first request a script sends does not wait for them. A script
 * reaches HAPI only through its bindings ({@code fhir}, {@code fhirContext}, {@code migration}, or
 * {@code context} and {@code binding} that hold them) or HAPI's own classes: a script whose text names
 * none of these cannot, and a run of such scripts (no-ops, steps kept for the graph's shape) never
 * starts HAPI at all, since the bindings are made when first read. Only a head start: a script that
 * reaches HAPI some other way builds the model when it first needs it.
 */
final class FhirModelHeadStart {

    /** How many of the run's first scripts are read to decide: the later ones have time to build it themselves. */
    private static final int LOOK_AHEAD = 20;
    private static final List<String> REACHING_HAPI = List.of("fhir", "migration", "context", "binding");
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private FhirModelHeadStart() {}

    /** Starts the model on a thread of its own if one of the first scripts may use it, once per JVM. */
    static void startFor(List<MigrationScript> scripts) {
        if (scripts.isEmpty() || STARTED.get()) {
            return;
        }
        List<MigrationScript> first = List.copyOf(scripts.subList(0, Math.min(LOOK_AHEAD, scripts.size())));
        Thread thread = new Thread(() -> {
            for (MigrationScript script : first) {
                if (mayReachHapi(script) && STARTED.compareAndSet(false, true)) {
                    FhirConnection.warmUp();
                    return;
                }
            }
        }, "fhirmig-fhir-model");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@return whether the script's text names a binding that leads to HAPI, or HAPI's packages} */
    static boolean mayReachHapi(MigrationScript script) {
        String text;
        try {
            text = script.text();
        } catch (RuntimeException e) {
            // Its step says what is wrong with it.
            return false;
        }
        for (String word : REACHING_HAPI) {
            if (text.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
