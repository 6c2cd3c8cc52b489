package io.fhirmig

import io.fhirmig.api.*
import ca.uhn.fhir.rest.client.api.IGenericClient
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
import java.nio.file.Files
import java.nio.file.Path
import org.hl7.fhir.r4.model.Patient
import spock.lang.Specification
import spock.lang.TempDir

/**
 * fhirmig used from Java code the way an application uses it: only the public API of
 * {@code io.fhirmig} ({@link Fhirmig}, its results and {@link FhirmigException}), against the shared
 * real embedded server over HTTP, each feature in its own namespace, with the first two example
 * migrations copied into a temporary folder and pointed at a patient of its own.
 */
class FhirmigApiSpec extends Specification {

    static final String FIRST = '985f4e1e-29f5-4911-bc9c-2c774b685289'
    static final String PHONE = 'd5a1c49e-8efb-4610-b9d3-f59f98541f16'

    @TempDir
    Path versions

    String namespace = 'api-' + UUID.randomUUID().toString().substring(0, 8)
    String patientId = namespace + '-patient'
    IGenericClient client = TestServer.newClient()

    def setup() {
        // The examples create and change Patient/example; here they work on a patient of their own.
        for (name in ['0001_create_example_patient.groovy', '0002_add_phone_number.groovy']) {
            String text = Files.readString(Path.of('versions', name))
                    .replace("'example'", "'${patientId}'")
                    .replace("'12345'", "'${namespace}'")
            Files.writeString(versions.resolve(name), text)
        }
    }

    def cleanup() {
        try {
            client.delete().resourceById('Patient', patientId).execute()
        } catch (ResourceNotFoundException | ResourceGoneException ignored) {
        }
    }

    Patient patient() {
        client.read().resource(Patient).withId(patientId).execute()
    }

    def "configure, upgrade, read the head, downgrade one step, generate a migration"() {
        given:
        Fhirmig fhirmig = Fhirmig.configure()
                .url(TestServer.baseUrl())
                .versions(versions)
                .namespace(namespace)
                .load()

        expect: 'nothing applied yet'
        fhirmig.current().heads() == []
        fhirmig.current().pending() == [FIRST, PHONE]
        fhirmig.current().head().empty

        when: 'upgrade'
        MigrationResult up = fhirmig.upgrade()

        then: 'both migrations ran, in order, and the head moved'
        up.steps()*.revision() == [FIRST, PHONE]
        up.steps()*.file() == ['0001_create_example_patient.groovy', '0002_add_phone_number.groovy']
        up.steps()*.direction() == [Direction.UPGRADE] * 2
        up.steps().every { !it.duration().negative }
        up.headsBefore() == []
        up.head().get() == PHONE
        up.changed()
        !up.duration().negative

        and: 'the patient is on the server, with the phone'
        patient().nameFirstRep.family == 'Doe'
        patient().telecom*.value == ['555-555-5555']

        and: 'the head as read back'
        fhirmig.current().head().get() == PHONE
        fhirmig.current().upToDate()
        fhirmig.current().lock() == null
        fhirmig.heads() == [new Head(PHONE, '0002_add_phone_number.groovy', 'add a home phone number to the example patient', true, true)]
        with(fhirmig.history()) {
            applied()*.revision() == [FIRST, PHONE]
            applied().every { it.applied() && it.appliedAt() != null && it.checksum().startsWith('sha256:') }
            pending().empty
            warnings().empty
        }
        with(fhirmig.status()) {
            migrations()*.revision() == [FIRST, PHONE]
            migrations()*.state() == [MigrationStatus.State.APPLIED] * 2
            migrations().every { it.checksum() == it.fileChecksum() && it.appliedAt() != null }
            heads() == [PHONE]
            warnings().empty
        }
        fhirmig.check().ok()

        when: 'upgrade again'
        MigrationResult again = fhirmig.upgrade()

        then: 'nothing to do'
        again.steps() == []
        !again.changed()
        again.head().get() == PHONE

        when: 'downgrade one step'
        MigrationResult down = fhirmig.downgrade()

        then:
        down.steps()*.revision() == [PHONE]
        down.steps()[0].direction() == Direction.DOWNGRADE
        down.headsBefore() == [PHONE]
        down.head().get() == FIRST
        patient().telecom.empty
        fhirmig.current().pending() == [PHONE]

        when: 'generate, while a migration is pending'
        fhirmig.generate('too_early')

        then: 'refused, as the original tool does'
        FhirmigException refused = thrown()
        refused.kind() == FhirmigException.Kind.USAGE
        refused.message.contains('0002_add_phone_number.groovy')

        when: 'upgrade, then generate a migration into the versions folder'
        fhirmig.upgrade()
        GeneratedScript generated = fhirmig.generate('flag_patient', 'flag the example patient')

        then:
        generated.file() == versions.resolve('0003_flag_patient.groovy')
        generated.revision() ==~ /[0-9a-f]{12}/
        generated.downRevisions() == [PHONE]
        Files.readString(generated.file()).contains("description  = 'flag the example patient'")

        and: 'the new migration is part of the graph at once'
        fhirmig.heads()*.revision() == [generated.revision()]
        fhirmig.current().pending() == [generated.revision()]

        when: 'back to base'
        MigrationResult base = fhirmig.downgrade('base')

        then: 'the generated (empty) migration was never applied, so two steps are reverted'
        base.steps()*.revision() == [PHONE, FIRST]
        base.headsAfter() == []
        !base.head().present

        cleanup:
        fhirmig?.close()
    }

    def "an application passes its own HAPI client"() {
        given: 'the application already has a client, with its own interceptor'
        IGenericClient own = TestServer.newClient()
        List<String> requests = []
        own.registerInterceptor(new Object() {
            @ca.uhn.fhir.interceptor.api.Hook(ca.uhn.fhir.interceptor.api.Pointcut.CLIENT_REQUEST)
            void count(ca.uhn.fhir.rest.client.api.IHttpRequest request) {
                requests << request.httpVerbName + ' ' + request.uri
            }
        })

        when:
        MigrationResult result
        try (Fhirmig fhirmig = Fhirmig.configure().client(own).versions(versions).namespace(namespace).load()) {
            result = fhirmig.upgrade(FIRST.substring(0, 8))
        }

        then: 'the migration and the state went through that client'
        result.steps()*.revision() == [FIRST]
        result.head().get() == FIRST
        patient().nameFirstRep.family == 'Doe'
        requests.any { it.startsWith('GET ') && it.contains('Basic?identifier=urn%3Afhirmig%3Astate') }
        requests.count { it == 'POST ' + TestServer.baseUrl() || it == 'POST ' + TestServer.baseUrl() + '/' } >= 2

        and: 'the client still works after close'
        own.read().resource(Patient).withId(patientId).execute().telecom.empty
    }

    def "an application passes its own FHIR context, and fhirmig makes the client from it"() {
        when:
        MigrationResult result
        try (Fhirmig fhirmig = Fhirmig.configure().url(TestServer.baseUrl()).fhirContext(TestServer.fhirContext())
                .versions(versions).namespace(namespace).load()) {
            result = fhirmig.upgrade('+1')
        }

        then:
        result.steps()*.revision() == [FIRST]
        patient().nameFirstRep.family == 'Doe'
    }

    def "a failed or refused call throws a typed exception and prints nothing"() {
        given:
        def err = new ByteArrayOutputStream()
        def out = new ByteArrayOutputStream()
        def oldErr = System.err
        def oldOut = System.out
        System.err = new PrintStream(err)
        System.out = new PrintStream(out)

        when: 'no server'
        Fhirmig.configure().versions(versions).load()

        then:
        FhirmigException noServer = thrown()
        noServer.kind() == FhirmigException.Kind.USAGE

        when: 'an unknown target'
        Fhirmig.configure().url(TestServer.baseUrl()).versions(versions).namespace(namespace).load()
                .upgrade('nope')

        then:
        FhirmigException unknown = thrown()
        unknown.kind() == FhirmigException.Kind.USAGE

        when: 'no target'
        Fhirmig.configure().url(TestServer.baseUrl()).versions(versions).namespace(namespace).load()
                .downgrade(null)

        then:
        FhirmigException noTarget = thrown()
        noTarget.kind() == FhirmigException.Kind.USAGE

        when: 'a server that does not answer'
        Fhirmig.configure().url('http://127.0.0.1:9/fhir').versions(versions).namespace(namespace).load()
                .current()

        then:
        FhirmigException unreachable = thrown()
        unreachable.kind() == FhirmigException.Kind.SERVER

        and: 'check reports problems instead of throwing them'
        with(Fhirmig.configure().url('http://127.0.0.1:9/fhir').versions(versions).namespace(namespace).load().check()) {
            !ok()
            firstProblem().get().name() == 'server'
            firstProblem().get().problem() == FhirmigException.Kind.SERVER
        }

        cleanup:
        System.err = oldErr
        System.out = oldOut
        assert out.size() == 0
    }

    def "with a cache, an application's runs keep the scripts' headers, compiled scripts and records there"() {
        given:
        Path cacheDir = Files.createTempDirectory('fhirmig-api-cache')

        when:
        Fhirmig.configure().url(TestServer.baseUrl()).versions(versions).namespace(namespace).cache(cacheDir).load()
                .withCloseable { it.upgrade() }
        def history = Fhirmig.configure().url(TestServer.baseUrl()).versions(versions).namespace(namespace)
                .cache(cacheDir).load().withCloseable { it.history() }

        then:
        history.applied()*.revision() == [FIRST, PHONE]
        history.applied().every { it.applied() }
        Files.exists(cacheDir.resolve('headers.bin'))
        Files.list(cacheDir.resolve('classes')).withCloseable { it.count() } == 1   // compiled ahead, one batch
        Files.list(cacheDir.resolve('state')).withCloseable { it.count() } == 1
        patient().telecom*.value == ['555-555-5555']

        cleanup:
        cacheDir.toFile().deleteDir()
    }
}
