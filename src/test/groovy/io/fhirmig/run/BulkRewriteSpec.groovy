package io.fhirmig.run

import ca.uhn.fhir.rest.api.CacheControlDirective
import ca.uhn.fhir.rest.client.api.IGenericClient
import groovy.json.JsonSlurper
import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import java.nio.file.Files
import java.nio.file.Path
import org.hl7.fhir.r4.model.Bundle
import org.hl7.fhir.r4.model.Patient
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The bulk API of the {@code migration} binding against the embedded server: {@code forEach} over
 * thousands of patients (paged, batched, with If-Match), conflicts with another writer, a closure that
 * throws, and {@code create(resources)} / {@code deleteAll(query)}. Each feature seeds its own patients
 * under its own identifier systems, and runs in its own namespace.
 */
class BulkRewriteSpec extends Specification {

    static final Path AUDIT_FILE = Path.of(System.getProperty('fhirmig.audit.file', '.fhirmig/audit.log'))

    @TempDir
    Path versions

    String ns = ServerProbe.unique('bulk')
    String tag = UUID.randomUUID().toString().substring(0, 8)
    String seedSystem = "urn:fhirmig-test:bulk:${tag}:seed"
    String legacySystem = "urn:fhirmig-test:bulk:${tag}:legacy"
    String newSystem = "urn:fhirmig-test:bulk:${tag}:new"
    IGenericClient client = TestServer.newClient()

    def "forEach over 2,000 patients changes exactly those that match, skips the rest, and its downgrade restores them"() {
        given: '2,000 patients: 1,500 carry the legacy id, and 300 of those are inactive'
        Map<Integer, Patient> seeded = seed(2000) { Patient p, int i ->
            if (i % 4 != 0) {
                p.addIdentifier().setSystem(legacySystem).setValue("L-${i}")
                if (i % 5 == 0) {
                    p.active = false
                }
            }
        }
        Set<Integer> toChange = (0..<2000).findAll { it % 4 != 0 && it % 5 != 0 } as Set
        Scripts.write(versions, '0001_bulk.groovy', """\
revision     = 'bk1'
downRevision = null

void upgrade() {
    def summary = migration.forEach('Patient?identifier=${legacySystem}|', batchSize: 100, threads: 2) { Patient p ->
        if (p.hasActive() && !p.active) {
            return null
        }
        if (p.identifier.any { it.system == '${newSystem}' }) {
            return null
        }
        String legacy = p.identifier.find { it.system == '${legacySystem}' }.value
        p.addIdentifier().setSystem('${newSystem}').setValue('N-' + legacy)
        p
    }
    assert summary.matched() == 1500
}

void downgrade() {
    migration.forEach('Patient?identifier=${legacySystem}|') { Patient p ->
        p.identifier.removeIf { it.system == '${newSystem}' } ? p : null
    }
}
""")

        when: 'a dry run of the same closure, through the binding itself'
        def context = new StepContext('bk1', 'upgrade', true, ns, [:], false, client, null)
        def dry = context.forEach("Patient?identifier=${legacySystem}|", pageSize: 400) { Patient p ->
            if (p.hasActive() && !p.active) {
                return null
            }
            p.addIdentifier().setSystem(newSystem).setValue('x')
            p
        }

        then: 'it counts what would change and writes nothing'
        dry.matched() == 1500
        dry.changed() == 1200
        dry.skipped() == 300
        dry.dryRun()
        patients().values().every { it.meta.versionId == '1' }

        when:
        def upgrade = Cli.on(ns, versions, 'upgrade')
        Map<Integer, Patient> after = patients()

        then: 'the 1,200 active legacy patients got the new identifier, once; no other patient was written'
        upgrade.code == 0
        after.size() == 2000
        after.each { int i, Patient p ->
            List<String> added = p.identifier.findAll { it.system == newSystem }*.value
            if (i in toChange) {
                assert added == ["N-L-${i}".toString()]
                assert p.meta.versionId == '2'
            } else {
                assert added == []
                assert p.meta.versionId == '1'
            }
        }

        and: 'the summary is audited'
        def summary = bulkEvents().last()
        summary.subMap('operation', 'revision', 'direction', 'matched', 'changed', 'skipped', 'conflicts', 'failed', 'outcome') ==
                [operation: 'forEach', revision: 'bk1', direction: 'upgrade', matched: 1500, changed: 1200, skipped: 300,
                 conflicts: 0, failed: 0, outcome: 'success']
        summary.query == "Patient?identifier=${legacySystem}|".toString()

        when:
        def downgrade = Cli.on(ns, versions, 'downgrade', 'base')
        Map<Integer, Patient> restored = patients()

        then: 'every patient is as it was seeded'
        downgrade.code == 0
        restored.size() == 2000
        restored.every { int i, Patient p -> content(p) == content(seeded[i]) }
        restored.findAll { int i, Patient p -> p.meta.versionId == '3' }.keySet() == toChange

        and:
        bulkEvents().last().subMap('direction', 'matched', 'changed', 'skipped') ==
                [direction: 'downgrade', matched: 1500, changed: 1200, skipped: 300]
    }

    def "a patient edited by someone else during the run is a conflict, reported and left as they wrote it (#bundleType Bundles)"() {
        given: '200 legacy patients; on its first call the closure has another client edit one of the others'
        seed(200) { Patient p, int i -> p.addIdentifier().setSystem(legacySystem).setValue("L-${i}") }
        String x = patientId(100)
        String y = patientId(101)
        Scripts.write(versions, '0001_bulk.groovy', """\
revision     = 'bk2'
downRevision = null

void upgrade() {
    boolean first = true
    migration.forEach('Patient?identifier=${legacySystem}|', bundleType: '${bundleType}', batchSize: 50) { Patient p ->
        if (first) {
            first = false
            def someoneElse = fhirContext.newRestfulGenericClient(fhir.serverBase)
            String other = p.idElement.idPart == '${x}' ? '${y}' : '${x}'
            Patient theirs = someoneElse.read().resource(Patient).withId(other).execute()
            theirs.nameFirstRep.family = 'EditedElsewhere'
            someoneElse.update().resource(theirs).execute()
        }
        p.addIdentifier().setSystem('${newSystem}').setValue('N')
        p
    }
}

void downgrade() {}
""")

        when:
        def result = Cli.on(ns, versions, 'upgrade')
        Map<Integer, Patient> after = patients()
        def summary = bulkEvents().last()
        int edited = after.find { int i, Patient p -> p.nameFirstRep.family == 'EditedElsewhere' }.key

        then: 'the step succeeds; the conflict is counted and named in the audit (and on the console)'
        result.code == 0
        summary.subMap('matched', 'changed', 'conflicts', 'failed') == [matched: 200, changed: 199, conflicts: 1, failed: 0]
        summary.conflictIds == ["Patient/${patientId(edited)}".toString()]

        and: 'the edited patient stays as the other writer left it; every other one was migrated'
        edited in [100, 101]
        after[edited].identifier.every { it.system != newSystem }
        after[edited].meta.versionId == '2'
        after.findAll { int i, Patient p -> i != edited }.every { int i, Patient p ->
            p.identifier.count { it.system == newSystem } == 1 && p.meta.versionId == '2'
        }

        where:
        bundleType << ['batch', 'transaction']
    }

    def "a closure that throws on one patient stops the step naming that patient; the fixed, idempotent one then finishes the job"() {
        given:
        seed(300) { Patient p, int i -> p.addIdentifier().setSystem(legacySystem).setValue("L-${i}") }
        String script = """\
revision     = 'bk3'
downRevision = null

void upgrade() {
    migration.forEach('Patient?identifier=${legacySystem}|', batchSize: 20) { Patient p ->
        if (p.identifier.any { it.system == '${newSystem}' }) {
            return null
        }
        if (p.identifier.any { it.value == 'L-150' }) {
            throw new IllegalStateException('cannot migrate this one')
        }
        p.addIdentifier().setSystem('${newSystem}').setValue('N')
        p
    }
}

void downgrade() {}
"""
        Scripts.write(versions, '0001_bulk.groovy', script)

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then: 'exit 1, naming the patient and the reason; the head does not move'
        result.code == 1
        result.err.contains("the closure failed on Patient/${patientId(150)}: IllegalStateException: cannot migrate this one")
        result.err.startsWith('error: 0001_bulk.groovy:')
        ServerProbe.store(ns).read().heads() == []
        bulkEvents().last().outcome == 'stopped'

        and: 'patient 150 was not written'
        patients()[150].meta.versionId == '1'

        when: 'the closure is fixed and the step runs again'
        Scripts.write(versions, '0001_bulk.groovy', script.replace("it.value == 'L-150'", 'false'))
        def again = Cli.on(ns, versions, 'upgrade')

        then: 'every patient has the new identifier exactly once'
        again.code == 0
        patients().values().every { Patient p -> p.identifier.count { it.system == newSystem } == 1 }
        ServerProbe.store(ns).read().heads() == ['bk3']
    }

    def "create(resources) writes in batches, deleteAll(query) removes them all"() {
        given:
        Scripts.write(versions, '0001_bulk.groovy', """\
revision     = 'bk4'
downRevision = null

void upgrade() {
    def created = migration.create((1..250).collect { new Patient().addIdentifier(new Identifier().setSystem('${seedSystem}').setValue("c\${it}")) }, batchSize: 40)
    assert created.changed() == 250
}

void downgrade() {
    // progress: true draws the bar even without a terminal, and asks for the total first.
    def deleted = migration.deleteAll('Patient?identifier=${seedSystem}|', batchSize: 40, pageSize: 100, progress: true)
    assert deleted.matched() == 250 && deleted.changed() == 250
}
""")

        when:
        def up = Cli.on(ns, versions, 'upgrade')

        then:
        up.code == 0
        allWithSystem(seedSystem).size() == 250
        bulkEvents().last().subMap('operation', 'matched', 'changed') == [operation: 'create', matched: 250, changed: 250]

        when:
        def down = Cli.on(ns, versions, 'downgrade', 'base')

        then:
        down.code == 0
        allWithSystem(seedSystem).isEmpty()
        bulkEvents().last().subMap('operation', 'matched', 'changed') == [operation: 'deleteAll', matched: 250, changed: 250]
    }

    def "deleteAll of a patient that another resource refers to stops the step naming it, after deleting the others"() {
        given: '30 patients, one of them the subject of an Observation'
        seed(30) { Patient p, int i -> }
        def observation = new org.hl7.fhir.r4.model.Observation()
        observation.status = org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL
        observation.code.addCoding().setSystem('urn:fhirmig-test').setCode('x')
        observation.subject.reference = "Patient/${patientId(7)}"
        String observationId = client.create().resource(observation).execute().id.idPart
        def context = new StepContext('bk6', 'downgrade', false, ns, [:], false, client, null)

        when:
        context.deleteAll("Patient?identifier=${seedSystem}|", batchSize: 10)

        then: 'a failure, not a conflict: the server refuses that delete for the reference'
        def e = thrown(io.fhirmig.api.FhirmigException)
        e.message.contains("the server refused 1 write(s): Patient/${patientId(7)}: HTTP 409")

        and: 'every other patient is gone'
        patients().keySet() == [7] as Set

        cleanup:
        client.delete().resourceById('Observation', observationId).execute()
    }

    def "a closure that only removes a tag, a security label and a profile has them removed, though an update alone keeps them"() {
        given: '250 patients with two tags, a security label and a profile'
        String tags = "urn:fhirmig-test:bulk:${tag}:tags"
        String labels = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality'
        String profile = "http://example.org/fhirmig-test/${tag}/legacy-patient"
        seed(250) { Patient p, int i ->
            p.addIdentifier().setSystem(legacySystem).setValue("L-${i}")
            p.meta.addTag(tags, 'legacy', null)
            p.meta.addTag(tags, 'keep', null)
            p.meta.addSecurity(labels, 'R', null)
            p.meta.addProfile(profile)
        }

        when: 'one of them is updated directly without the legacy tag'
        Patient control = client.read().resource(Patient).withId(patientId(0)).execute()
        control.meta.tag.removeIf { it.code == 'legacy' }
        control.nameFirstRep.family = 'Edited'
        client.update().resource(control).execute()

        then: 'the server keeps the tag (which is why forEach must do more than an update)'
        patients()[0].meta.tag*.code.sort() == ['keep', 'legacy']

        when: 'a forEach whose closure only removes the legacy tag, the label and the profile'
        Scripts.write(versions, '0001_bulk.groovy', """\
revision     = 'bk7'
downRevision = null

void upgrade() {
    migration.forEach('Patient?identifier=${legacySystem}|', batchSize: 50) { Patient p ->
        boolean removed = p.meta.tag.removeIf { it.system == '${tags}' && it.code == 'legacy' }
        removed |= p.meta.security.removeIf { it.code == 'R' }
        removed |= p.meta.profile.removeIf { it.value == '${profile}' }
        removed ? p : null
    }
}

void downgrade() {}
""")
        def result = Cli.on(ns, versions, 'upgrade')
        Map<Integer, Patient> after = patients()

        then: 'they are gone from all 250, the other tag stays, and the summary says how they went'
        result.code == 0
        after.size() == 250
        after.values().every { Patient p ->
            p.meta.tag.collect { it.code } == ['keep'] && !p.meta.hasSecurity() && !p.meta.hasProfile()
        }
        bulkEvents().last().subMap('matched', 'changed', 'failed', 'metaRemoved') ==
                [matched: 250, changed: 250, failed: 0, metaRemoved: 250]

        when: 'it runs again'
        Cli.on(ns, versions, 'downgrade', 'base')
        def again = Cli.on(ns, versions, 'upgrade')

        then: 'nothing is left to remove: every patient is skipped'
        again.code == 0
        bulkEvents().last().subMap('matched', 'changed', 'skipped') == [matched: 250, changed: 0, skipped: 250]
    }

    def "a closure whose last expression is not the resource stops forEach naming what it returned"() {
        given:
        seed(3) { Patient p, int i -> p.meta.addTag('urn:fhirmig-test', 'old', null) }
        def context = new StepContext('bk8', 'upgrade', false, ns, [:], false, client, null)

        when: 'the last expression is removeIf, a boolean'
        context.forEach("Patient?identifier=${seedSystem}|") { Patient p -> p.meta.tag.removeIf { it.code == 'old' } }

        then:
        def e = thrown(io.fhirmig.api.FhirmigException)
        e.message.contains('the closure returned Boolean (true) for Patient/')
        e.message.contains('return the resource to write it, or null to leave it unchanged')

        and: 'nothing was written'
        patients().values().every { it.meta.versionId == '1' && it.meta.tag*.code == ['old'] }
    }

    def "forEach refuses to run in a transactional migration"() {
        given:
        def context = new StepContext('bk5', 'upgrade', false, ns, [:], true, client, null)

        when:
        context.forEach('Patient?identifier=x|') { it }

        then:
        def e = thrown(io.fhirmig.api.FhirmigException)
        e.message.contains('cannot join a transactional migration')
    }

    // --- helpers ---

    String patientId(int i) {
        "bk-${tag}-${i}"
    }

    /** Seeds {@code n} patients with ids bk-<tag>-<i>, in batch Bundles of 500; returns them by index. */
    Map<Integer, Patient> seed(int n, Closure customise) {
        Map<Integer, Patient> seeded = [:]
        (0..<n).collate(500).each { List<Integer> chunk ->
            Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH)
            chunk.each { int i ->
                Patient p = new Patient()
                p.id = patientId(i)
                p.addName().setFamily("Bulk${i}").addGiven('Test')
                p.addIdentifier().setSystem(seedSystem).setValue(String.valueOf(i))
                customise(p, i)
                seeded[i] = p
                bundle.addEntry().setResource(p).request.setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/${patientId(i)}")
            }
            Bundle response = client.transaction().withBundle(bundle).execute()
            assert response.entry.every { it.response.status.startsWith('201') }
        }
        seeded
    }

    /** Every seeded patient as the server has it now, by index. */
    Map<Integer, Patient> patients() {
        allWithSystem(seedSystem).collectEntries { Patient p ->
            [(p.identifier.find { it.system == seedSystem }.value as Integer): p]
        }
    }

    List<Patient> allWithSystem(String system) {
        Bundle page = client.search().byUrl("Patient?identifier=${system}|&_count=1000")
                .cacheControl(new CacheControlDirective().setNoCache(true)).returnBundle(Bundle).execute()
        List<Patient> found = []
        while (page != null) {
            found.addAll(page.entry.collect { it.getResource() }.findAll { it instanceof Patient } as List<Patient>)
            page = page.getLink(Bundle.LINK_NEXT) != null ? client.loadPage().next(page).execute() : null
        }
        found
    }

    /** A patient's content without its id and meta, as JSON. */
    static String content(Patient patient) {
        Patient copy = patient.copy()
        copy.id = null
        copy.meta = null
        TestServer.fhirContext().newJsonParser().encodeResourceToString(copy)
    }

    List<Map> bulkEvents() {
        def slurper = new JsonSlurper()
        Files.readAllLines(AUDIT_FILE).findAll { !it.isBlank() }.collect { slurper.parseText(it) as Map }
                .findAll { it.namespace == ns && it.event == 'bulk' }
    }
}
