package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.verify.VerifySpec
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * {@code fhirmig verify} as a user runs it, on the shared test server named with --url and
 * --scratch-ok (a disposable server), with migrations that work on a patient of the feature's own
 * id: the lines printed, the JSON, the exit codes, and the refusals.
 */
class VerifyCommandSpec extends Specification {

    @TempDir
    Path dir

    String ns = ServerProbe.unique('verify-cli')
    String patientId = ns + '-p'
    Path versions
    Path fixtures

    def setup() {
        versions = Files.createDirectories(dir.resolve('versions'))
        fixtures = Files.createDirectories(dir.resolve('fixtures'))
        Files.writeString(fixtures.resolve('patients.json'), """{"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": {"resourceType": "Patient", "id": "${patientId}", "name": [{"family": "Cli"}]}}]}""")
    }

    Cli.Result verify(String... options) {
        Cli.run('verify', *options, '--url', TestServer.baseUrl(), '--scratch-ok', '--versions', versions.toString(),
                '--namespace', ns, '--fixtures', fixtures.toString())
    }

    void phoneMigration(String downgrade) {
        Scripts.write(versions, '0001_phone.groovy', VerifySpec.migration('clip1', null, """
            Patient p = fhir.read().resource(Patient).withId('${patientId}').execute()
            if (!p.telecom.any { it.value == '555' }) {
                p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue('555')
                fhir.update().resource(p).execute()
            }""", downgrade))
    }

    def "migrations that pass: a line per check, a summary, exit 0"() {
        given:
        phoneMigration("""
            Patient p = fhir.read().resource(Patient).withId('${patientId}').execute()
            if (p.telecom.removeIf { it.value == '555' }) { fhir.update().resource(p).execute() }""")

        when:
        def run = verify()

        then:
        run.code == 0
        run.outLines() == ['ok    0001_phone.groovy  idempotent  (upgrade() changes 1 resource(s))',
                           'ok    0001_phone.groovy  reversible',
                           'ok    0001_phone.groovy  repeatable',
                           'ok    0001_phone.groovy  dry-run',
                           run.outLines().last()]
        run.outLines().last() =~ /^verified 1 migration\(s\) with 1 fixture resource\(s\) in [\d.]+ s: all 4 checks ok$/
        run.err.contains("verifying on the disposable server ${TestServer.baseUrl()}, with the fixtures of ${fixtures}")
    }

    def "a downgrade() that leaves data behind: FAIL reversible with the differences, exit 1; --json gives the same"() {
        given:
        phoneMigration("log.info('forgot to remove the phone')")

        when:
        def text = verify()
        def json = verify('--json')

        then:
        text.code == 1
        text.outLines().contains('FAIL  0001_phone.groovy  reversible')
        text.outLines().contains("        Patient/${patientId}  telecom[0].system: (none) -> \"phone\"".toString())
        text.outLines().contains("        Patient/${patientId}  telecom[0].value: (none) -> \"555\"".toString())
        text.outLines().last().endsWith(': 1 of 4 checks FAILED')

        and:
        json.code == 1
        def report = json.json()
        !report.ok
        report.fixtures == 1
        report.revisions*.file == ['0001_phone.groovy']
        report.revisions[0].checks*.name == ['idempotent', 'reversible', 'repeatable', 'dry-run']
        report.revisions[0].checks*.ok == [true, false, true, true]
        report.revisions[0].checks[1].differences == [
                [resource: "Patient/${patientId}".toString(), path: 'telecom[0].system', before: null, after: '"phone"'],
                [resource: "Patient/${patientId}".toString(), path: 'telecom[0].value', before: null, after: '"555"']]
        report.revisions[0].checks[1].moreDifferences == 0
    }

    def "invalid migrations: exit 3 naming the file"() {
        given:
        Scripts.write(versions, '0001_broken.groovy', "revision = 'x1'\n")

        when:
        def run = verify()

        then:
        run.code == 3
        run.err.contains('0001_broken.groovy')
    }

    def "refused with exit 2: #why"() {
        given:
        phoneMigration("log.info('down')")

        when:
        def run = Cli.run(*(['verify', '--versions', versions.toString()] + args))

        then:
        run.code == 2
        run.err.contains(message)

        where:
        why                                      | args                                        | message
        '--url without --scratch-ok'             | ['--url', 'http://127.0.0.1:1/fhir']        | 'to verify on the server at --url instead (it will be changed), add --scratch-ok'
        '--scratch-ok without --url'             | ['--scratch-ok']                            | '--scratch-ok needs --url with the URL of a disposable FHIR server'
        '--scratch-ok with the embedded server'  | ['--scratch-ok', '--url', 'embedded']       | '--scratch-ok needs --url with the URL of a disposable FHIR server'
    }
}
