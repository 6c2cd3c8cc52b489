package io.fhirmig.cli

import ca.uhn.fhir.context.FhirContext
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.hl7.fhir.r4.model.Patient
import spock.lang.Specification
import spock.lang.TempDir

/**
 * What `fhirmig serve` has answered as written is on disk: the server's JVM is killed with -9 right
 * after its last answer, with no chance to flush anything, and started again on the same folder.
 */
class DurableServeIT extends Specification {

    @TempDir
    Path dir

    def "writes the server acknowledged survive kill -9 of its process"() {
        given:
        int port = ServeIT.freePort()
        def fhir = FhirContext.forR4Cached()
        fhir.restfulClientFactory.serverValidationMode = ServerValidationModeEnum.NEVER
        def client = fhir.newRestfulGenericClient("http://127.0.0.1:$port/fhir")
        def first = startServe(port)
        // Several writes, so that the last ones land inside any delay the database keeps before writing.
        def ids = (1..5).collect { "durable-$it".toString() }

        when: 'patients are written, and the JVM is killed the moment the last answer arrives'
        ids.each { id ->
            def patient = new Patient(id: id)
            patient.addName().setFamily('Acknowledged')
            client.update().resource(patient).execute()
        }
        first.process.destroyForcibly()
        first.process.waitFor(60, TimeUnit.SECONDS)

        then: 'it was the JVM itself that was killed'
        first.process.exitValue() == 137
        first.command.endsWith('java') || first.command.endsWith('java.exe')

        when: 'the server starts again on the same folder'
        def second = startServe(port)
        def found = ids.findAll { id ->
            try {
                client.read().resource(Patient).withId(id).execute().nameFirstRep.family == 'Acknowledged'
            } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException ignored) {
                false
            }
        }

        then: 'every acknowledged write is there'
        found == ids

        cleanup:
        second?.process?.destroy()
        second?.process?.waitFor(60, TimeUnit.SECONDS)
    }

    private Map startServe(int port) {
        // The java binary itself, not a launcher script, so that destroyForcibly() kills the server's JVM.
        String java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def log = dir.resolve("serve-${System.nanoTime()}.out")
        def process = new ProcessBuilder(java, '-jar', System.getProperty('fhirmig.jar'), 'serve', '--port', "$port")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start()
        long deadline = System.currentTimeMillis() + 180_000
        while (!ServeIT.answers(port)) {
            if (!process.alive) {
                assert false: "serve exited early: ${log.text}"
            }
            assert System.currentTimeMillis() < deadline: 'serve did not answer within 3 minutes'
            sleep(200)
        }
        [process: process, command: process.toHandle().info().command().orElse(java)]
    }
}
