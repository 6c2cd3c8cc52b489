package io.fhirmig.cli

import ca.uhn.fhir.rest.client.api.IGenericClient
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import java.nio.file.Files
import java.nio.file.Path
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.CodeableConcept
import org.hl7.fhir.r4.model.Coding
import org.hl7.fhir.r4.model.ContactPoint
import org.hl7.fhir.r4.model.Patient
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.TempDir

/**
 * A server the Python tool migrated up to the second example: its data and the tool's state
 * resource are there, fhirmig's state is not. fhirmig refuses to run on it, shows the tool's
 * revision, adopts it, and then runs only the third and fourth examples. The tool's resource has an
 * id of its own (MIGRATION_RESOURCE_ID), never the default, which every fresh namespace of every
 * other specification would see; the examples work on a patient of their own, not Patient/example.
 */
@Stepwise
class AdoptCommandSpec extends Specification {

    static final String FIRST = '985f4e1e-29f5-4911-bc9c-2c774b685289'
    static final String PHONE = 'd5a1c49e-8efb-4610-b9d3-f59f98541f16'
    static final String MRN = 'c5a1c49e-8efb-4610-b9d3-f59f98541f16'
    static final String MARK = '7b3e2f10-4c1d-4a8e-9f62-1d5c0e8a9b44'
    static final String MRN_SYSTEM = 'http://hospital.example.org/mrn'
    static final String TOOL_SYSTEM = 'http://fhir.migration.system'
    static final String MARKED = '(recorded by the Python tool; run `fhirmig adopt`)'

    @Shared
    @TempDir
    Path versions

    @Shared
    String ns = ServerProbe.unique('adopt')

    @Shared
    String toolId = UUID.randomUUID().toString()

    @Shared
    String patientId = ServerProbe.unique('adopted')

    @Shared
    IGenericClient client = TestServer.newClient()

    @Shared
    String toolResourceId

    def setupSpec() {
        copyExamplesFor(versions, patientId)
        // The data the tool's runs of the first two examples left: the patient, with its phone.
        Patient patient = new Patient()
        patient.id = patientId
        patient.addName().setFamily('Doe').addGiven('John')
        patient.addIdentifier().setSystem('urn:example:legacy-id').setValue('12345')
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.HOME)
                .setValue('555-555-5555')
        client.update().resource(patient).execute()
        toolResourceId = createToolResource(client, toolId, PHONE)
    }

    def cleanupSpec() {
        client.delete().resourceById('Basic', toolResourceId).execute()
    }

    /** The examples of versions/, working on the given patient instead of Patient/example. */
    static void copyExamplesFor(Path dir, String patientId) {
        Scripts.copyExamples(dir)
        for (name in ['0001_create_example_patient.groovy', '0002_add_phone_number.groovy']) {
            Path file = dir.resolve(name)
            Files.writeString(file, Files.readString(file).replace("'example'", "'${patientId}'"))
        }
    }

    /** The Python tool's state resource at a revision (null: no code); returns its id on the server. */
    static String createToolResource(IGenericClient client, String identifierValue, String revision) {
        Basic basic = new Basic()
        basic.addIdentifier().setSystem(TOOL_SYSTEM).setValue(identifierValue)
        basic.code = revision == null ? new CodeableConcept().setText('migration state')
                : new CodeableConcept(new Coding(null, revision, null))
        client.create().resource(basic).execute().id.idPart
    }

    CliRun fhirmig(String... command) {
        EnvCli.run([MIGRATION_RESOURCE_ID: toolId],
                [*command, '--url', TestServer.baseUrl(), '--versions', versions, '--namespace', ns])
    }

    Patient patient() {
        client.read().resource(Patient).withId(patientId).execute()
    }

    Map toolJson() {
        ServerProbe.getJson("Basic/${toolResourceId}") as Map
    }

    def "upgrade, downgrade and stamp refuse with exit 4, naming the tool's revision and adopt, and change nothing"() {
        given:
        def patientVersion = patient().meta.versionId
        def toolVersion = toolJson().meta.versionId

        when:
        def upgrade = fhirmig('upgrade')
        def dryRun = fhirmig('upgrade', '--dry-run')
        def downgrade = fhirmig('downgrade')
        def stamp = fhirmig('stamp', 'head')
        def reset = fhirmig('reset')

        then:
        [upgrade, dryRun, downgrade, stamp, reset]*.code == [4] * 5
        [upgrade, dryRun, downgrade, stamp, reset].every { it.err.contains(PHONE) && it.err.contains('`fhirmig adopt`') }
        upgrade.err.contains('upgrade refused, nothing was changed')
        upgrade.err.contains("Basic/${toolResourceId}")

        and: 'no fhirmig state, no record, the data and the tool resource as they were'
        ServerProbe.stateJson(ns).empty
        ServerProbe.appliedJson(ns).empty
        patient().meta.versionId == patientVersion
        patient().telecom.size() == 1
        toolJson().meta.versionId == toolVersion
    }

    def "current and history show the tool's revision as the head, marked as recorded by the Python tool"() {
        when:
        def current = fhirmig('current')
        def currentJson = fhirmig('current', '--json')
        def history = fhirmig('history')

        then:
        current.code == 0
        current.out.readLines() == ["${PHONE}  0002_add_phone_number.groovy  ${MARKED}".toString(),
                                    '2 pending; run `fhirmig adopt`, then `fhirmig upgrade`']

        and:
        currentJson.code == 0
        def json = new groovy.json.JsonSlurper().parseText(currentJson.out)
        json.heads*.revision == [PHONE]
        json.pending.size() == 2
        json.pythonTool.revision == PHONE
        json.pythonTool.resource == "Basic/${toolResourceId}".toString()
        json.pythonTool.identifier == "${TOOL_SYSTEM}|${toolId}".toString()

        and:
        history.code == 0
        def lines = history.out.readLines()
        lines.findAll { it.startsWith('applied') }.size() == 2
        lines.findAll { it.startsWith('applied') }.every { it.contains(MARKED) }
        lines.findAll { it.startsWith('pending') }*.contains('0003_add_mrn.groovy') == [true, false]
    }

    def "status shows the tool's revision and its ancestor as applied, without a record, and says to adopt"() {
        when:
        def status = fhirmig('status')
        def json = new groovy.json.JsonSlurper().parseText(fhirmig('status', '--json').out)

        then:
        status.code == 0
        status.out.readLines()[1..4]*.split(/ +/)*.getAt(0) == ['applied', 'applied', 'pending', 'pending']
        status.out.readLines()[1..2].every { it.contains('(Python tool)') }
        status.out.readLines()[5] == '2 applied, 2 pending; recorded by the Python tool: run `fhirmig adopt`'
        json.heads == [PHONE]
        json.pythonTool.revision == PHONE
        json.migrations*.state == ['applied', 'applied', 'pending', 'pending']
        json.migrations[0..1]*.appliedAt == [null, null]
    }

    def "adopt --dry-run prints what it would record and changes nothing"() {
        given:
        def toolVersion = toolJson().meta.versionId

        when:
        def run = fhirmig('adopt', '--dry-run')

        then:
        run.code == 0
        run.out.readLines()[0].startsWith("would adopt the Python tool's state (Basic/${toolResourceId}")
        run.out.readLines()[1..2] == ['  985f4e1e-29f  0001_create_example_patient.groovy',
                                       '  d5a1c49e-8ef  0002_add_phone_number.groovy']
        run.out.contains('dry run: nothing was changed')

        and:
        ServerProbe.stateJson(ns).empty
        ServerProbe.appliedJson(ns).empty
        toolJson().meta.versionId == toolVersion
    }

    def "adopt records the tool's revision and its ancestors as applied, marked adopted; current shows it; the tool's resource stays"() {
        given:
        def tool = toolJson()

        when:
        def run = fhirmig('adopt')
        def current = fhirmig('current')

        then:
        run.code == 0
        run.out.startsWith("adopted the Python tool's state (Basic/${toolResourceId}")
        current.code == 0
        current.out.readLines() == ["${PHONE}  0002_add_phone_number.groovy".toString(), '2 pending; run `fhirmig upgrade`']

        and: 'one record per revision, each naming the tool resource and when the tool last wrote it'
        ServerProbe.store(ns).read().heads() == [PHONE]
        def records = ServerProbe.store(ns).appliedRecords().sort { it.file() }
        records*.revision() == [FIRST, PHONE]
        records.every { it.adoptedFrom() == toolResourceId }
        records.every { it.adoptedLastUpdated() == java.time.OffsetDateTime.parse(tool.meta.lastUpdated).toInstant() }

        and: 'in the raw JSON, inside urn:fhirmig:applied, where older readers pass over them'
        def raw = ServerProbe.appliedJson(ns)[0].extension.find { it.url == 'urn:fhirmig:applied' }.extension
        raw.find { it.url == 'adoptedFrom' }.valueString == toolResourceId
        raw.find { it.url == 'adoptedLastUpdated' }.valueDateTime != null

        and: 'an adopt event in the audit log'
        def events = auditEvents().findAll { it.event == 'adopt' }
        events.size() == 1
        events[0].revision == PHONE
        events[0].toolResource == "Basic/${toolResourceId}".toString()
        events[0].recorded == 2
        events[0].outcome == 'success'

        and: 'the tool resource as it was'
        toolJson() == tool
    }

    /** This namespace's audit events (the tests' audit file is set by the pom). */
    List<Map> auditEvents() {
        Path file = Path.of(System.getProperty('fhirmig.audit.file', '.fhirmig/audit.log'))
        def slurper = new groovy.json.JsonSlurper()
        Files.readAllLines(file).findAll { !it.isBlank() }.collect { slurper.parseText(it) as Map }
                .findAll { it.namespace == ns }
    }

    def "history marks the adopted records"() {
        when:
        def history = fhirmig('history')
        def json = fhirmig('history', '--json')

        then:
        history.code == 0
        history.out.readLines().findAll { it.startsWith('applied') }
                .every { it.endsWith("(adopted from the Python tool, Basic/${toolResourceId})") }
        new groovy.json.JsonSlurper().parseText(json.out).applied*.adoptedFrom == ["Basic/${toolResourceId}".toString()] * 2
    }

    def "status shows the adopted records"() {
        expect:
        new groovy.json.JsonSlurper().parseText(fhirmig('status', '--json').out).migrations*.adoptedFrom == ["Basic/${toolResourceId}".toString()] * 2 + [null] * 2
    }

    def "upgrade then runs the third and fourth examples only: the phone number is on the patient once"() {
        when:
        def run = fhirmig('upgrade')

        then:
        run.code == 0
        run.out.contains('upgraded 2 migration(s)')
        ServerProbe.store(ns).read().heads() == [MARK]
        ServerProbe.store(ns).appliedRecords().findAll { !it.adopted() }*.revision().sort() == [MRN, MARK].sort()

        and:
        def patient = patient()
        patient.telecom.findAll { it.value == '555-555-5555' }.size() == 1
        patient.identifier.findAll { it.system == MRN_SYSTEM }*.value == ['MRN-12345']
    }

    def "adopting again does nothing"() {
        when:
        def run = fhirmig('adopt')

        then:
        run.code == 0
        run.out.startsWith('already adopted')
        ServerProbe.store(ns).read().heads() == [MARK]
    }
}
