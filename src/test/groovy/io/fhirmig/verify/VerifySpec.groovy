package io.fhirmig.verify

import io.fhirmig.Fhirmig
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.api.FhirmigException
import io.fhirmig.api.VerifyOptions
import io.fhirmig.api.VerifyReport
import ca.uhn.fhir.rest.api.CacheControlDirective
import java.nio.file.Files
import java.nio.file.Path
import org.hl7.fhir.r4.model.Bundle
import spock.lang.Specification
import spock.lang.TempDir

/**
 * fhirmig verify through the library. The four examples run on the default scratch server (a fresh
 * in-memory embedded server, the one feature here that starts a server). The other features use the
 * shared test server as the disposable server ({@code onConfiguredServer}): verify compares only
 * what was written since it started, so the other specifications' data there changes nothing, and
 * each feature's migrations work on patients of their own ids, which no other specification touches.
 */
class VerifySpec extends Specification {

    static final String EXTENSION = 'http://example.org/fhir/StructureDefinition/leftover'

    @TempDir
    Path dir

    String ns = ServerProbe.unique('verify')
    String patientId = ns + '-p'

    Path versions() {
        Files.createDirectories(dir.resolve('versions'))
    }

    /** A fixtures folder with one patient of this feature's own id. */
    Path fixtures() {
        Path folder = Files.createDirectories(dir.resolve('fixtures'))
        Files.writeString(folder.resolve('patient.json'), """{"resourceType": "Patient", "id": "${patientId}",
            "name": [{"family": "Verify"}]}""")
        folder
    }

    static String migration(String revision, String down, String upgrade, String downgrade, String header = '') {
        """\
revision = '${revision}'
downRevision = ${down == null ? 'null' : "'${down}'"}
${header}
void upgrade() {
    ${upgrade}
}

void downgrade() {
    ${downgrade}
}
"""
    }

    VerifyReport verifyOnSharedServer(String range = null) {
        Fhirmig.configure().url(TestServer.baseUrl()).versions(versions()).namespace(ns).load().withCloseable {
            it.verify(VerifyOptions.defaults().range(range).fixtures(fixtures()).onConfiguredServer(true))
        }
    }

    def "the four examples pass on a fresh in-memory server with the fixture patient; the configured server is untouched"() {
        given: 'fhirmig configured for the shared server, and what that server last wrote'
        def client = TestServer.newClient()
        Date before = client.history().onServer().returnBundle(Bundle).count(1)
                .cacheControl(new CacheControlDirective().setNoCache(true)).execute().meta.lastUpdated
        Fhirmig fhirmig = Fhirmig.configure().url(TestServer.baseUrl()).versions(Scripts.EXAMPLES).namespace(ns).load()

        when:
        VerifyReport report = fhirmig.verify(VerifyOptions.defaults().fixtures(Path.of('fixtures')))

        then: 'every check of every example passed, and every example changed data'
        report.ok()
        report.server() == 'embedded (in memory)'
        report.fixtures() == 1
        report.revisions()*.file() == ['0001_create_example_patient.groovy', '0002_add_phone_number.groovy',
                                       '0003_add_mrn.groovy', '0004_mark_legacy_patients.groovy']
        report.revisions().every { it.checks()*.name() == ['idempotent', 'reversible', 'repeatable', 'dry-run'] }
        report.revisions()*.changed() == [1, 1, 2, 2]

        and: 'the configured server got nothing: no write since before'
        client.history().onServer().returnBundle(Bundle).since(new Date(before.time + 1))
                .cacheControl(new CacheControlDirective().setNoCache(true)).execute().entry.empty

        cleanup:
        fhirmig?.close()
    }

    def "a downgrade() that leaves an extension behind fails 'reversible', naming the migration, the resource and the URL"() {
        given:
        Scripts.write(versions(), '0001_leaky.groovy', migration('leaky1', null, """
            Patient p = fhir.read().resource(Patient).withId('${patientId}').execute()
            if (p.getExtensionByUrl('${EXTENSION}') == null) {
                p.addExtension('${EXTENSION}', new StringType('x'))
                fhir.update().resource(p).execute()
            }""", "log.info('nothing to undo, it thinks')"))

        when:
        VerifyReport report = verifyOnSharedServer()

        then:
        !report.ok()
        def revision = report.revisions()[0]
        revision.file() == '0001_leaky.groovy'
        revision.checks()*.name() == ['idempotent', 'reversible', 'repeatable', 'dry-run']
        revision.checks()*.ok() == [true, false, true, true]
        def reversible = revision.checks()[1]
        reversible.differences()*.resource().unique() == ["Patient/${patientId}".toString()]
        reversible.differences().find { it.path() == 'extension[0].url' }.after() == "\"${EXTENSION}\"".toString()
        reversible.differences().find { it.path() == 'extension[0].url' }.before() == null
        reversible.moreDifferences() == 0
    }

    def "an upgrade() that adds a telecom on every run fails 'idempotent'"() {
        given:
        Scripts.write(versions(), '0001_phone.groovy', migration('phone1', null, """
            Patient p = fhir.read().resource(Patient).withId('${patientId}').execute()
            p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue('555')
            fhir.update().resource(p).execute()""", """
            Patient p = fhir.read().resource(Patient).withId('${patientId}').execute()
            p.telecom.clear()
            fhir.update().resource(p).execute()"""))

        when:
        VerifyReport report = verifyOnSharedServer()

        then:
        !report.ok()
        def checks = report.revisions()[0].checks()
        checks*.name() == ['idempotent', 'reversible', 'repeatable', 'dry-run']
        checks*.ok() == [false, true, true, true]
        checks[0].differences()*.path() == ['telecom[1].system', 'telecom[1].value']
        checks[0].differences()*.after() == ['"phone"', '"555"']
    }

    def "a migration whose dry run skips what its upgrade() does fails 'dry-run', saying both counts"() {
        given: 'an upgrade() that returns early under a dry run, so that a dry run shows nothing'
        Scripts.write(versions(), '0001_shy.groovy', migration('shy1', null, """
            if (migration.dryRun) return
            Patient p = fhir.read().resource(Patient).withId('${patientId}').execute()
            if (!p.active) {
                p.active = true
                fhir.update().resource(p).execute()
            }""", """
            Patient p = fhir.read().resource(Patient).withId('${patientId}').execute()
            p.activeElement = null
            fhir.update().resource(p).execute()"""))

        when:
        VerifyReport report = verifyOnSharedServer()

        then: 'the other checks pass'
        !report.ok()
        def checks = report.revisions()[0].checks()
        checks*.name() == ['idempotent', 'reversible', 'repeatable', 'dry-run']
        checks*.ok() == [true, true, true, false]
        checks[3].error() == 'upgrade() as a dry run would change 0 resource(s), but upgrade() changed 1: a dry run' +
                ' should show what the upgrade does (look at the script\'s migration.dryRun branches)'
    }

    def "a migration whose dry run cannot be answered fails 'dry-run' with the reason; the next migration is still verified"() {
        given: 'a batch that reads and writes: the server answers it, a dry run cannot'
        Closure<String> batch = { boolean active -> """
            Bundle b = new Bundle().setType(Bundle.BundleType.BATCH)
            b.addEntry().request.setMethod(Bundle.HTTPVerb.GET).setUrl('Patient/${patientId}')
            Patient p = new Patient()
            p.id = '${patientId}'
            p.addName().setFamily('Verify')
            ${active ? 'p.active = true' : ''}
            b.addEntry().setResource(p).request.setMethod(Bundle.HTTPVerb.PUT).setUrl('Patient/${patientId}')
            fhir.transaction().withBundle(b).execute()""" }
        Scripts.write(versions(), '0001_batch.groovy', migration('batch1', null, batch(true), batch(false)))
        Scripts.write(versions(), '0002_quiet.groovy', migration('quiet2', 'batch1', "log.info('nothing')", ''))

        when:
        VerifyReport report = verifyOnSharedServer()

        then:
        def checks = report.revisions()[0].checks()
        checks*.name() == ['idempotent', 'reversible', 'repeatable', 'dry-run']
        checks*.ok() == [true, true, true, false]
        checks[3].error().startsWith('upgrade() as a dry run: ')
        checks[3].error().contains('a dry run holds back every write, and cannot answer a batch Bundle that both reads and writes')

        and:
        report.revisions()*.file() == ['0001_batch.groovy', '0002_quiet.groovy']
        report.revisions()[1].ok()
        report.notVerified().empty
    }

    def "a transactional migration that re-creates a resource under a new server-assigned id passes: matched by content"() {
        given:
        Scripts.write(versions(), '0001_observation.groovy', migration('obs1', null, """
            Bundle found = fhir.search().forResource(Observation).where(Observation.SUBJECT.hasId('Patient/${patientId}'))
                    .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
                    .returnBundle(Bundle).execute()
            if (found.entry.empty) {
                Observation o = new Observation()
                o.status = Observation.ObservationStatus.FINAL
                o.code = new CodeableConcept(new Coding('http://loinc.org', '8302-2', 'Body height'))
                o.subject = new Reference('Patient/${patientId}')
                migration.create(o)
            }""", "migration.delete('Observation?subject=Patient/${patientId}')", 'transactional = true'))

        when:
        VerifyReport report = verifyOnSharedServer()

        then:
        report.ok()
        report.revisions()[0].changed() == 1
    }

    def "a migration that throws fails its check with the error, and the ones after it are not verified"() {
        given:
        Scripts.write(versions(), '0001_breaks.groovy', migration('breaks1', null, "log.info('up')",
                "throw new IllegalStateException('cannot go back')"))
        Scripts.write(versions(), '0002_after.groovy', migration('after1', 'breaks1', "log.info('up')", "log.info('down')"))

        when:
        VerifyReport report = verifyOnSharedServer()

        then:
        !report.ok()
        report.revisions().size() == 1
        report.revisions()[0].checks()*.name() == ['idempotent', 'reversible']
        report.revisions()[0].checks()[1].error().contains('0001_breaks.groovy')
        report.revisions()[0].checks()[1].error().contains('cannot go back')
        report.notVerified() == ['0002_after.groovy']
    }

    def "a range verifies only its migrations, after applying those below it"() {
        given:
        Scripts.write(versions(), '0001_a.groovy', migration('rangea', null, "log.info('a')", "log.info('a')"))
        Scripts.write(versions(), '0002_b.groovy', migration('rangeb', 'rangea', "log.info('b')", "log.info('b')"))

        expect:
        verifyOnSharedServer('rangeb').revisions()*.file() == ['0002_b.groovy']
        verifyOnSharedServer('rangea:').revisions()*.file() == ['0001_a.groovy', '0002_b.groovy']
        verifyOnSharedServer(':rangea').revisions()*.file() == ['0001_a.groovy']
    }

    def "a fixture that is no FHIR resource, or a Bundle of another type, is refused naming the file"() {
        given:
        Scripts.write(versions(), '0001_a.groovy', migration('fixa', null, "log.info('a')", "log.info('a')"))
        Path folder = Files.createDirectories(dir.resolve('bad'))
        Files.writeString(folder.resolve('broken.json'), text)

        when:
        Fhirmig.configure().url(TestServer.baseUrl()).versions(versions()).namespace(ns).load().withCloseable {
            it.verify(VerifyOptions.defaults().fixtures(folder).onConfiguredServer(true))
        }

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.contains(folder.resolve('broken.json').toString())
        e.message.contains(problem)

        where:
        text                                                      | problem
        '{"resourceType": "Patient", "active": '                  | 'is not a FHIR R4 resource in JSON'
        '{"resourceType": "Bundle", "type": "searchset"}'         | 'a fixture Bundle must be of type transaction, batch or collection'
    }
}
