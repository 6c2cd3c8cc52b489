package io.fhirmig.cli

import ca.uhn.fhir.context.FhirContext
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.hl7.fhir.r4.model.Patient
import spock.lang.Specification
import spock.lang.TempDir

/** `fhirmig serve` as a user runs it: the built jar, in a folder of its own, stopped with SIGTERM. */
class ServeIT extends Specification {

    @TempDir
    Path dir

    def "serve answers FHIR requests, stops cleanly on SIGTERM, and keeps its data for the next start"() {
        given:
        int port = freePort()
        def fhir = FhirContext.forR4Cached()
        fhir.restfulClientFactory.serverValidationMode = ServerValidationModeEnum.NEVER

        when: 'the server starts and a patient is written'
        def first = startServe(port)
        def client = fhir.newRestfulGenericClient("http://127.0.0.1:$port/fhir")
        def patient = new Patient(id: 'serve-it')
        patient.addName().setFamily('Persisted')
        client.update().resource(patient).execute()

        and: 'it is stopped as Ctrl-C or a service manager would'
        first.process.destroy()
        boolean exited = first.process.waitFor(60, TimeUnit.SECONDS)

        then:
        exited
        first.process.exitValue() in [0, 143]
        first.stdout() == "http://127.0.0.1:$port/fhir\n"

        when: 'it starts again on the same folder'
        def second = startServe(port)
        def read = client.read().resource(Patient).withId('serve-it').execute()

        then: 'the data survived'
        read.nameFirstRep.family == 'Persisted'

        cleanup:
        second?.process?.destroy()
        second?.process?.waitFor(60, TimeUnit.SECONDS)
    }

    private Map startServe(int port) {
        def process = new ProcessBuilder('java', '-jar', System.getProperty('fhirmig.jar'), 'serve', '--port', "$port")
                .directory(dir.toFile())
                .redirectError(dir.resolve("serve-${System.nanoTime()}.err").toFile())
                .start()
        def output = new StringBuilder()
        Thread.start { process.inputStream.eachLine { output.append(it).append('\n') } }
        long deadline = System.currentTimeMillis() + 180_000
        while (!answers(port)) {
            assert process.alive: "serve exited early: ${output}"
            assert System.currentTimeMillis() < deadline: 'serve did not answer within 3 minutes'
            sleep(200)
        }
        [process: process, stdout: { -> output.toString() }]
    }

    /** Whether an embedded server answers on this loopback port (shared with DurableServeIT). */
    static boolean answers(int port) {
        try {
            def connection = new URL("http://127.0.0.1:$port/fhir/metadata").openConnection() as HttpURLConnection
            connection.connectTimeout = 1000
            return connection.responseCode == 200
        } catch (IOException ignored) {
            return false
        }
    }

    static int freePort() {
        new ServerSocket(0).withCloseable { it.localPort }
    }
}
