package io.fhirmig.fhir.embedded;

import java.time.Duration;

/** Stops a shared server that has had no FHIR request for its idle limit, on a daemon thread of its own. */
final class IdleStop {

    private IdleStop() {
    }

    static void watch(EmbeddedFhirServer server, Activity activity, Duration limit) {
        // Checked often enough to stop within a few percent of the limit, at most once a second.
        long period = Math.max(50, Math.min(1000, limit.toMillis() / 20));
        // Idle from now on: the start itself, however long, is not idle time.
        activity.touch();
        Thread thread = new Thread(() -> {
            try {
                while (!server.isClosed()) {
                    Thread.sleep(period);
                    if (activity.idle().compareTo(limit) >= 0) {
                        server.close();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fhirmig-idle-stop");
        thread.setDaemon(true);
        thread.start();
    }
}
