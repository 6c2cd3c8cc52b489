package io.fhirmig.state

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.secure.OriginServer
import java.nio.file.Path
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.CodeableConcept
import org.hl7.fhir.r4.model.Coding
import org.hl7.fhir.r4.model.DateTimeType
import org.hl7.fhir.r4.model.Extension
import org.hl7.fhir.r4.model.IntegerType
import org.hl7.fhir.r4.model.StringType
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A state whose fields cannot be read (written by hand or by another tool, or twisted by a misbehaving
 * server) is exit 4 with one line naming the resource and the field, never "unexpected failure"; ids are
 * checked before they go into a URL; read-only commands send no write, not even the removal of an empty
 * duplicate state.
 */
class MalformedStateSpec extends Specification {

    @TempDir Path versions
    @AutoCleanup OriginServer server = new OriginServer()
    String ns = ServerProbe.unique('malformed')

    def setup() {
        server.forwardTo = TestServer.baseUrl()
        Scripts.chain(versions, ['m1', 'm2'])
        assert Cli.on(ns, versions, 'upgrade').code == 0
    }

    private Cli.Result run(String url = TestServer.baseUrl(), String... command) {
        Cli.run(*(command as List<String>), '--url', url, '--versions', versions.toString(), '--namespace', ns)
    }

    Basic stateResource() {
        ServerProbe.basicsWithSystem('urn:fhirmig:state').find { it.identifierFirstRep.value == ns }
    }

    Basic recordOf(String revision) {
        ServerProbe.basicsWithSystem("urn:fhirmig:applied:${ns}").find { it.identifierFirstRep.value == revision }
    }

    void update(Basic basic) {
        TestServer.newClient().update().resource(basic).execute()
    }

    void formatAbc() {
        Basic state = stateResource()
        state.extension.find { it.url == 'urn:fhirmig:format' }.value = new StringType('abc')
        update(state)
    }

    void durationBad() {
        Basic record = recordOf('m2')
        Extension applied = record.extension.find { it.url == 'urn:fhirmig:applied' }
        applied.extension.find { it.url == 'durationMs' }.value = new StringType('12 minutes')
        update(record)
    }

    void lockWithNoOwner() {
        Basic state = stateResource()
        Extension lock = state.addExtension().setUrl('urn:fhirmig:lock')
        lock.addExtension('step', new StringType('upgrade m3'))
        lock.addExtension('expiresAt', new DateTimeType(new Date(System.currentTimeMillis() + 600_000)))
        update(state)
    }

    def "#problem: #command exits 4 with one line naming the resource and the field"() {
        given:
        "${mutation}"()

        when:
        def result = run(TestServer.baseUrl(), command)

        then:
        result.code == 4
        result.err.readLines().size() == 1
        said.every { result.err.contains(it) }
        !result.err.contains('unexpected')
        !result.err.contains('Exception')

        where:
        problem                          | mutation          | command   | said
        "a format extension 'abc'"       | 'formatAbc'       | 'current' | ["the migration state on the server cannot be read: Basic/", "has the format extension (urn:fhirmig:format) 'abc' that is not a whole number"]
        "a format extension 'abc'"       | 'formatAbc'       | 'upgrade' | ["has the format extension (urn:fhirmig:format) 'abc' that is not a whole number"]
        'a durationMs that is no number' | 'durationBad'     | 'history' | ["the applied record Basic/", "(revision 'm2') has durationMs '12 minutes' that is not a whole number of milliseconds"]
        'a durationMs that is no number' | 'durationBad'     | 'upgrade' | ["(revision 'm2') has durationMs '12 minutes'"]
        'a lock with no owner'           | 'lockWithNoOwner' | 'upgrade' | ['it names no owner', '`fhirmig unlock`']
    }

    /** The state search's answer with a copy of its state entry added, changed by {@code change}. */
    private OriginServer.Seen duplicateState(Closure change) {
        server.handler = { OriginServer.Seen r ->
            if (r.method != 'GET' || !r.target.contains('urn%3Afhirmig%3Astate')) {
                return null
            }
            def real = new JsonSlurper().parseText(TestServer.newClient().fhirContext.newJsonParser().encodeResourceToString(
                    TestServer.newClient().search().byUrl(TestServer.baseUrl() + r.target.substring('/fhir'.length()))
                            .returnBundle(org.hl7.fhir.r4.model.Bundle).execute()))
            def copy = new JsonSlurper().parseText(JsonOutput.toJson(real.entry[0]))
            copy.resource.extension.removeAll { it.url == 'urn:fhirmig:head' }
            change(copy.resource)
            real.entry << copy
            OriginServer.answer(200, ['Content-Type': 'application/fhir+json'], JsonOutput.toJson(real))
        }
        null
    }

    def "a duplicate state with #what is exit 4 naming it, and nothing is sent to delete it"() {
        given:
        duplicateState(change)

        when:
        def current = run(server.baseUrl(), 'current')
        def upgrade = run(server.baseUrl(), 'upgrade')

        then:
        [current, upgrade].every { it.code == 4 && it.err.readLines().size() == 1 && it.err.contains(said) }
        !server.requests.any { it.method == 'DELETE' }
        !upgrade.err.contains('Exception')

        where:
        what                         | change                                             | said
        'no id'                      | { it.remove('id') }                                | 'a migration-state Basic resource has no id'
        "an id that is not a FHIR id" | { it.id = '../Patient/example' }                   | "the id '../Patient/example' that is not a FHIR id"
        'a version that is no id'    | { it.id = '9999999'; it.meta.versionId = '1\r\nX-Injected: 1' } | "meta.versionId '1\\r\\nX-Injected: 1' that is not a FHIR id"
    }

    def "read-only commands never write: an empty newer duplicate state is left alone by current, history, heads, check; upgrade removes it"() {
        given: 'an empty duplicate state, newer than the real one'
        def state = new Basic()
        state.addIdentifier().setSystem('urn:fhirmig:state').setValue(ns)
        state.code = new CodeableConcept(new Coding('urn:fhirmig', 'migration-state', null))
        state.addExtension('urn:fhirmig:format', new IntegerType(1))
        TestServer.newClient().create().resource(state).execute()
        assert ServerProbe.basicsWithSystem('urn:fhirmig:state').count { it.identifierFirstRep.value == ns } == 2

        when:
        def codes = ['current', 'history', 'heads', 'check'].collect { run(server.baseUrl(), it).code }

        then:
        codes == [0, 0, 0, 0]
        server.requests.every { it.method == 'GET' }
        ServerProbe.basicsWithSystem('urn:fhirmig:state').count { it.identifierFirstRep.value == ns } == 2

        when:
        Scripts.write(versions, '0003_m3.groovy', Scripts.marking('m3', 'm2'))
        def upgrade = run(server.baseUrl(), 'upgrade')

        then:
        upgrade.code == 0
        server.requests.any { it.method == 'DELETE' }
        ServerProbe.basicsWithSystem('urn:fhirmig:state').count { it.identifierFirstRep.value == ns } == 1
    }

    def "a resource id from a search that is no FHIR id is refused before it goes into a write"() {
        given:
        Scripts.write(versions, '0003_walk.groovy', Scripts.marking('m3', 'm2', "migration.forEach('Patient?name=odd-${ns}') { it }"))
        def bundle = JsonOutput.toJson([resourceType: 'Bundle', type: 'searchset', entry: [[resource:
                [resourceType: 'Patient', id: 'x y', meta: [versionId: '1'], active: true]]]])
        server.handler = { OriginServer.Seen r ->
            r.method == 'GET' && r.target.startsWith('/fhir/Patient?')
                    ? OriginServer.answer(200, ['Content-Type': 'application/fhir+json'], bundle) : null
        }

        when:
        def result = run(server.baseUrl(), 'upgrade')

        then:
        result.code != 0
        result.err.readLines().size() == 1
        result.err.contains("answered with a Patient whose id 'x y' is not a FHIR id")
        ServerProbe.markers(ns) == ['m1:upgrade', 'm2:upgrade']
    }
}
