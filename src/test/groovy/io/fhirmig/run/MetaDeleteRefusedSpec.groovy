package io.fhirmig.run

import ca.uhn.fhir.rest.client.api.IGenericClient
import groovy.json.JsonSlurper
import io.fhirmig.Cli
import io.fhirmig.FaultProxy
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
 * A {@code forEach} that removes a tag, on a server that keeps tags across updates (HAPI) and refuses
 * {@code $meta-delete} (a proxy in front of the embedded server answers 405 to it): the upgrade fails
 * and says, per resource, that the tag is still there and why; a resource whose update wrote nothing
 * else is not counted as changed.
 */
class MetaDeleteRefusedSpec extends Specification {

    static final Path AUDIT_FILE = Path.of(System.getProperty('fhirmig.audit.file', '.fhirmig/audit.log'))

    @TempDir
    Path versions

    String ns = ServerProbe.unique('metadel')
    String tag = UUID.randomUUID().toString().substring(0, 8)
    String system = "urn:fhirmig-test:metadel:${tag}"
    String tags = "urn:fhirmig-test:metadel:${tag}:tags"
    IGenericClient client = TestServer.newClient()
    FaultProxy proxy = new FaultProxy(TestServer.baseUrl())

    def setup() {
        proxy.rule(method: 'POST', times: -1, match: { it.path().endsWith('/$meta-delete') }, fault: FaultProxy.status(405))
    }

    def cleanup() {
        proxy.close()
    }

    def "a change that only removes a tag is reported as not changed, with what is left and what to do"() {
        given: 'three patients with a legacy tag, and a closure that only removes it'
        seed(3)
        migration('p.meta.tag.removeIf { it.code == "legacy" } ? p : null')

        when:
        def result = upgrade()

        then: 'the upgrade fails, naming each patient, the tag kept and the refused $meta-delete'
        result.code != 0
        (0..<3).every { i ->
            result.err.contains("Patient/md-${tag}-${i}: not changed: the closure removed only meta.tag ${tags}|legacy, " +
                    'which an update does not remove on this server, and the server refused $meta-delete (')
        }
        result.err.contains('HTTP 405')
        result.err.contains('remove them with $meta-delete on the resource where it is allowed')

        and: 'nothing is counted as changed, and the patients are as they were'
        bulkEvents().last().subMap('matched', 'changed', 'failed', 'outcome') ==
                [matched: 3, changed: 0, failed: 3, outcome: 'failed']
        patients().every { it.meta.versionId == '1' && it.meta.tag*.code == ['legacy'] }
    }

    def "a change that also edits the resource is written and counted, and says the tag was kept"() {
        given:
        seed(2)
        migration('p.meta.tag.removeIf { it.code == "legacy" }; p.nameFirstRep.family = "Edited"; p')

        when:
        def result = upgrade()

        then:
        result.code != 0
        result.err.contains("Patient/md-${tag}-0: written, but the server kept the meta.tag ${tags}|legacy the closure removed")
        bulkEvents().last().subMap('changed', 'failed') == [changed: 2, failed: 2]
        patients().every { it.meta.versionId == '2' && it.nameFirstRep.family == 'Edited' && it.meta.tag*.code == ['legacy'] }
    }

    // --- helpers ---

    Cli.Result upgrade() {
        Cli.run('upgrade', '--url', proxy.baseUrl(), '--versions', versions.toString(), '--namespace', ns)
    }

    void migration(String closureBody) {
        Scripts.write(versions, '0001_tags.groovy', """\
revision     = 'md1'
downRevision = null

void upgrade() {
    migration.forEach('Patient?identifier=${system}|') { Patient p -> ${closureBody} }
}

void downgrade() {}
""")
    }

    void seed(int n) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION)
        (0..<n).each { int i ->
            Patient p = new Patient()
            p.id = "md-${tag}-${i}"
            p.addIdentifier().setSystem(system).setValue(String.valueOf(i))
            p.addName().setFamily("Tagged${i}")
            p.meta.addTag(tags, 'legacy', null)
            bundle.addEntry().setResource(p).request.setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/${p.id}")
        }
        client.transaction().withBundle(bundle).execute()
    }

    List<Patient> patients() {
        client.search().byUrl("Patient?identifier=${system}|").returnBundle(Bundle).execute()
                .entry.collect { it.getResource() as Patient }
    }

    List<Map> bulkEvents() {
        def slurper = new JsonSlurper()
        Files.readAllLines(AUDIT_FILE).findAll { !it.isBlank() }.collect { slurper.parseText(it) as Map }
                .findAll { it.namespace == ns && it.event == 'bulk' }
    }
}
