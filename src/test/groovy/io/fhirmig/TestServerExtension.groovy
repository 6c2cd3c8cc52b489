package io.fhirmig

import org.spockframework.runtime.extension.IGlobalExtension

/** Stops the shared test server when Spock finishes the run. */
class TestServerExtension implements IGlobalExtension {
    @Override
    void stop() {
        TestServer.stop()
    }
}
