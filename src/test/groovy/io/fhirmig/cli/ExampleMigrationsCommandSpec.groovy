package io.fhirmig.cli

import ca.uhn.fhir.rest.client.api.IGenericClient
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import org.hl7.fhir.r4.model.ContactPoint
import org.hl7.fhir.r4.model.Patient
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.TempDir

/**
 * The example migrations of versions/, run through the command line against the embedded server
 * over HTTP, from base to head and back: what a user sees on the server and in the commands' output.
 * This is the only specification that touches Patient/example.
 */
@Stepwise
class ExampleMigrationsCommandSpec extends Specification {

    static final String FIRST = '985f4e1e-29f5-4911-bc9c-2c774b685289'
    static final String PHONE = 'd5a1c49e-8efb-4610-b9d3-f59f98541f16'
    static final String MRN = 'c5a1c49e-8efb-4610-b9d3-f59f98541f16'
    static final String MARK = '7b3e2f10-4c1d-4a8e-9f62-1d5c0e8a9b44'
    static final String MRN_SYSTEM = 'http://hospital.example.org/mrn'
    static final String IMPORTED_FROM = 'http://example.org/fhir/StructureDefinition/imported-from'

    @Shared
    @TempDir
    Path versions

    @Shared
    String ns = ServerProbe.unique('examples')

    @Shared
    IGenericClient client = TestServer.newClient()

    def setupSpec() {
        Scripts.copyExamples(versions)
        // Patient/example must not exist before the first migration creates it.
        try {
            client.delete().resourceById('Patient', 'example').execute()
        } catch (ResourceNotFoundException | ResourceGoneException ignored) {
        }
    }

    Cli.Result fhirmig(String... command) {
        Cli.on(ns, versions, command)
    }

    Patient example() {
        client.read().resource(Patient).withId('example').execute()
    }

    def "a dry run runs the four steps with their writes held back: it shows them and changes nothing on the server"() {
        when:
        def text = fhirmig('upgrade', '--dry-run')
        def json = fhirmig('upgrade', '--dry-run', '--json')

        then: 'the second step reads the patient the first would create; the search of the third does not find it'
        text.code == 0
        text.outLines() == [
                'dry run: would run 4 step(s), making 2 write(s); nothing was written',
                "  upgrade  985f4e1e-29f  0001_create_example_patient.groovy  create the example patient Patient/example (John Doe)",
                '    PUT Patient/example',
                '      identifier[0].system: (none) -> "urn:example:legacy-id"',
                '      identifier[0].value: (none) -> "12345"',
                '      name[0].family: (none) -> "Doe"',
                '      name[0].given[0]: (none) -> "John"',
                "  upgrade  d5a1c49e-8ef  0002_add_phone_number.groovy  add a home phone number to the example patient",
                '    PUT Patient/example',
                '      telecom[0].system: (none) -> "phone"',
                '      telecom[0].value: (none) -> "555-555-5555"',
                '      telecom[0].use: (none) -> "home"',
                "  upgrade  c5a1c49e-8ef  0003_add_mrn.groovy  add a medical record number (MRN) to every patient with a legacy id",
                '    no writes',
                "  upgrade  7b3e2f10-4c1  0004_mark_legacy_patients.groovy  mark every patient with a legacy id as imported from the legacy system (bulk)",
                '    forEach Patient?identifier=urn:example:legacy-id|: matched 0, would change 0, skipped 0',
                '    no writes',
                "head after: ${MARK}",
        ]*.toString()

        and:
        json.code == 0
        def plan = json.json()
        plan.direction == 'upgrade'
        plan.headsBefore == []
        plan.headsAfter == [MARK]
        plan.steps*.revision == [FIRST, PHONE, MRN, MARK]
        plan.steps*.direction == ['upgrade'] * 4
        plan.steps*.file == ['0001_create_example_patient.groovy', '0002_add_phone_number.groovy', '0003_add_mrn.groovy',
                             '0004_mark_legacy_patients.groovy']
        plan.steps*.writeCount == [1, 1, 0, 0]
        plan.steps*.transactional == [false] * 4

        and: 'no patient, no state, no applied record'
        ServerProbe.status('Patient/example') in [404, 410]
        ServerProbe.stateJson(ns).empty
        ServerProbe.appliedJson(ns).empty
    }

    def "upgrade applies the four examples: the patient has its name, phone, MRN and the bulk migration's mark"() {
        when:
        def result = fhirmig('upgrade')

        then:
        result.code == 0
        result.out.contains('upgraded 4 migration(s)')
        result.out.contains("head: ${MARK}")

        and: 'the time it names is the whole run, the commits between the steps included'
        def summary = result.out =~ /upgraded 4 migration\(s\) in (.+?); head/
        summary.find()
        def records = ServerProbe.store(ns).appliedRecords().sort { it.appliedAt() }
        shownMillis(summary.group(1)) >= records.last().appliedAt().toEpochMilli() - records.first().appliedAt().toEpochMilli() + records.first().durationMs()

        and:
        def patient = example()
        patient.nameFirstRep.family == 'Doe'
        patient.nameFirstRep.givenAsSingleString == 'John'
        patient.telecom.size() == 1
        patient.telecom[0].system == ContactPoint.ContactPointSystem.PHONE
        patient.telecom[0].use == ContactPoint.ContactPointUse.HOME
        patient.telecom[0].value == '555-555-5555'
        patient.identifier.findAll { it.system == MRN_SYSTEM }*.value == ['MRN-12345']
        patient.extension.collect { [it.url, it.value.primitiveValue()] } == [[IMPORTED_FROM, 'urn:example:legacy-id']]

        and: 'the head on the server is the last migration'
        ServerProbe.store(ns).read().heads() == [MARK]
        !ServerProbe.store(ns).read().locked()
    }

    def "current prints the head"() {
        when:
        def result = fhirmig('current')

        then:
        result.code == 0
        result.outLines() == ["${MARK} (head)  0004_mark_legacy_patients.groovy".toString()]
    }

    def "history shows four applied records with the scripts' sha256 checksums"() {
        when:
        def result = fhirmig('history')
        def applied = result.outLines().findAll { it.startsWith('applied') }

        then:
        result.code == 0
        result.outLines().size() == 4
        applied.size() == 4
        applied[0].contains('985f4e1e-29f  0001_create_example_patient.groovy')
        applied[1].contains('d5a1c49e-8ef  0002_add_phone_number.groovy')
        applied[2].contains('c5a1c49e-8ef  0003_add_mrn.groovy')
        applied[0].endsWith(sha256('0001_create_example_patient.groovy'))
        applied[1].endsWith(sha256('0002_add_phone_number.groovy'))
        applied[2].endsWith(sha256('0003_add_mrn.groovy'))
        applied[3].contains('7b3e2f10-4c1  0004_mark_legacy_patients.groovy')
        applied[3].endsWith(sha256('0004_mark_legacy_patients.groovy'))
        applied.every { it.contains("${System.getProperty('user.name')}@") }
    }

    def "a second upgrade changes nothing and exits 0"() {
        given:
        def patientVersion = example().meta.versionId
        def recordsBefore = ServerProbe.appliedJson(ns).collect { [it.id, it.meta.versionId] }.sort()

        when:
        def result = fhirmig('upgrade')

        then:
        result.code == 0
        !result.out.contains('upgraded')
        example().meta.versionId == patientVersion
        ServerProbe.appliedJson(ns).collect { [it.id, it.meta.versionId] }.sort() == recordsBefore
        ServerProbe.store(ns).read().heads() == [MARK]
    }

    def "current, history, heads and check give JSON with --json"() {
        when:
        def currentRun = fhirmig('current', '--json')
        def historyRun = fhirmig('history', '--json')
        def headsRun = fhirmig('heads', '--json')
        def checkRun = fhirmig('check', '--json')

        then:
        [currentRun, historyRun, headsRun, checkRun]*.code == [0, 0, 0, 0]

        and:
        def current = currentRun.json()
        current.namespace == ns
        current.heads*.revision == [MARK]
        current.heads[0].file == '0004_mark_legacy_patients.groovy'
        current.heads[0].graphHead == true
        current.heads[0].description == 'mark every patient with a legacy id as imported from the legacy system (bulk)'
        current.pending == []
        current.warnings == []
        current.lock == null

        and:
        def history = historyRun.json()
        history.applied*.revision == [FIRST, PHONE, MRN, MARK]
        history.applied*.file == ['0001_create_example_patient.groovy', '0002_add_phone_number.groovy', '0003_add_mrn.groovy',
                                  '0004_mark_legacy_patients.groovy']
        history.applied*.checksum == [sha256('0001_create_example_patient.groovy'), sha256('0002_add_phone_number.groovy'),
                                      sha256('0003_add_mrn.groovy'), sha256('0004_mark_legacy_patients.groovy')]
        history.applied.every { it.appliedBy.startsWith(System.getProperty('user.name') + '@') }
        history.applied.every { it.appliedAt ==~ /\d{4}-\d\d-\d\dT.*Z/ && it.duration ==~ /PT[\d.]+S/ }
        history.pending == []

        and:
        headsRun.json().heads*.subMap(['revision', 'file', 'applied', 'graphHead']) ==
                [[revision: MARK, file: '0004_mark_legacy_patients.groovy', applied: true, graphHead: true]]

        and:
        def check = checkRun.json()
        check.ok == true
        check.checks*.name == ['migrations', 'server', 'state', 'checksums', 'lock']
        check.checks.every { it.ok }
        check.checks.find { it.name == 'migrations' }.detail.startsWith('4 migration(s), 1 head(s)')
    }

    def "show describes one revision by prefix"() {
        when:
        def result = fhirmig('show', 'd5a1')

        then:
        result.code == 0
        result.out.contains("revision:      ${PHONE}")
        result.out.contains('file:          0002_add_phone_number.groovy')
        result.out.contains("downRevision:  ${FIRST}")
        result.out.contains("children:      ${MRN}")
        result.out.contains("checksum:      ${sha256('0002_add_phone_number.groovy')}")
        result.out =~ /applied: +\d{4}-.* by .*@.* in \d+ ms/
    }

    def "downgrade undoes one step, the bulk one: the mark goes, the MRN and the phone stay, as they were"() {
        given:
        def before = example()

        when:
        def result = fhirmig('downgrade')

        then:
        result.code == 0
        result.out.contains('downgraded 1 migration(s)')
        result.out.contains("head: ${MRN}")

        and: 'the patient is as the MRN migration left it: only the extension is gone'
        def patient = example()
        patient.extension.empty
        patient.meta.versionId as int == (before.meta.versionId as int) + 1
        patient.identifier*.system == ['urn:example:legacy-id', MRN_SYSTEM]
        patient.telecom*.value == ['555-555-5555']
        before.extension.clear()
        encode(patient) == encode(before)

        and:
        fhirmig('current').outLines() == ["${MRN}  0003_add_mrn.groovy".toString(), '1 pending; run `fhirmig upgrade`']
        ServerProbe.appliedJson(ns).size() == 3
    }

    def "downgrade undoes one more step: the MRN goes, the phone stays"() {
        when:
        def result = fhirmig('downgrade')

        then:
        result.code == 0
        result.out.contains('downgraded 1 migration(s)')
        result.out.contains("head: ${PHONE}")

        and:
        def patient = example()
        patient.identifier.findAll { it.system == MRN_SYSTEM }.empty
        patient.identifier*.system == ['urn:example:legacy-id']
        patient.telecom*.value == ['555-555-5555']

        and:
        fhirmig('current').outLines() == ["${PHONE}  0002_add_phone_number.groovy".toString(), '2 pending; run `fhirmig upgrade`']
        ServerProbe.appliedJson(ns).size() == 2
        def history = fhirmig('history', '--json').json()
        history.applied*.revision == [FIRST, PHONE]
        history.pending*.revision == [MRN, MARK]
    }

    def "a dry run of downgrade base shows the two steps' writes and changes nothing"() {
        given:
        def patientVersion = example().meta.versionId

        when:
        def text = fhirmig('downgrade', 'base', '--dry-run')
        def json = fhirmig('downgrade', 'base', '--dry-run', '--json')

        then:
        text.code == 0
        text.outLines() == [
                'dry run: would run 2 step(s), making 2 write(s); nothing was written',
                '  downgrade  d5a1c49e-8ef  0002_add_phone_number.groovy  add a home phone number to the example patient',
                '    PUT Patient/example',
                '      telecom[0].system: "phone" -> (none)',
                '      telecom[0].value: "555-555-5555" -> (none)',
                '      telecom[0].use: "home" -> (none)',
                '  downgrade  985f4e1e-29f  0001_create_example_patient.groovy  create the example patient Patient/example (John Doe)',
                '    DELETE Patient/example',
                'head after: base',
        ]
        json.code == 0
        def plan = json.json()
        plan.direction == 'downgrade'
        plan.headsBefore == [PHONE]
        plan.headsAfter == []
        plan.steps*.revision == [PHONE, FIRST]
        plan.steps*.writes*.method == [['PUT'], ['DELETE']]
        example().meta.versionId == patientVersion
        ServerProbe.store(ns).read().heads() == [PHONE]
    }

    def "downgrade base undoes everything: the server holds no Patient/example"() {
        when:
        def result = fhirmig('downgrade', 'base')

        then:
        result.code == 0
        result.out.contains('downgraded 2 migration(s)')
        result.out.contains('head: base')

        when:
        example()

        then:
        thrown(ResourceGoneException)
        ServerProbe.status('Patient/example') == 410

        and: 'nothing is applied, and no record is left'
        fhirmig('current').outLines() == ['base (nothing applied)', '4 pending; run `fhirmig upgrade`']
        ServerProbe.store(ns).read().heads() == []
        ServerProbe.appliedJson(ns).empty
    }

    /** A patient as JSON without its version and meta (time of the last write). */
    static String encode(Patient patient) {
        Patient copy = patient.copy()
        copy.id = patient.idElement.idPart
        copy.meta = null
        TestServer.fhirContext().newJsonParser().encodeResourceToString(copy)
    }

    /** The checksum fhirmig must record for a file, computed here independently: SHA-256 of the file's bytes. */
    String sha256(String fileName) {
        byte[] bytes = Files.readAllBytes(versions.resolve(fileName))
        'sha256:' + MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
    }

    private static long shownMillis(String duration) {
        def ms = duration =~ /^(\d+) ms$/
        if (ms.matches()) {
            return ms.group(1).toLong()
        }
        def seconds = duration =~ /^(\d+)\.(\d{3}) s$/
        if (seconds.matches()) {
            return seconds.group(1).toLong() * 1000 + seconds.group(2).toLong()
        }
        def minutes = duration =~ /^(\d+) min (\d\d) s$/
        assert minutes.matches(): "not a duration: ${duration}"
        return (minutes.group(1).toLong() * 60 + minutes.group(2).toLong() + 1) * 1000
    }
}
