package io.fhirmig.cli

import ca.uhn.fhir.rest.client.api.IGenericClient
import io.fhirmig.Fhirmig
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.api.FhirmigException
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Where fhirmig finds the Python tool's state (MIGRATION_RESOURCE_ID, legacyResourceId, the
 * library's builder), and the tool states it cannot adopt. Each feature has its own namespace and
 * its own tool resource id (never the default, which every fresh namespace would see), and deletes
 * the tool resource it made. Scripts that only leave markers: nothing here runs the examples.
 */
class AdoptSettingsSpec extends Specification {

    static final String A = 'aaaa0000-0000-4000-8000-000000000001'
    static final String B = 'bbbb0000-0000-4000-8000-000000000002'
    static final String C = 'cccc0000-0000-4000-8000-000000000003'

    @Shared
    IGenericClient client = TestServer.newClient()

    @TempDir
    Path dir

    Path versions
    String ns = ServerProbe.unique('adopt-settings')
    String toolId = UUID.randomUUID().toString()
    List<String> made = []

    def setup() {
        versions = Files.createDirectories(dir.resolve('versions'))
        Scripts.write(versions, '0001_a.groovy', Scripts.marking(A, null))
        Scripts.write(versions, '0002_b.groovy', Scripts.marking(B, A))
        Scripts.write(versions, '0003_c.groovy', Scripts.marking(C, B))
    }

    def cleanup() {
        made.each { client.delete().resourceById('Basic', it).execute() }
    }

    String tool(String revision, String identifierValue = toolId) {
        String id = AdoptCommandSpec.createToolResource(client, identifierValue, revision)
        made << id
        id
    }

    CliRun fhirmig(Map<String, String> env, String... command) {
        EnvCli.run(env, [*command, '--url', TestServer.baseUrl(), '--versions', versions, '--namespace', ns])
    }

    def "MIGRATION_RESOURCE_ID says which tool resource is the namespace's: without it, the tool's default id is looked for"() {
        given:
        tool(B)

        when: 'the environment names the tool resource'
        def refused = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'upgrade')

        then:
        refused.code == 4
        refused.err.contains(B)
        ServerProbe.markers(ns).empty

        when: 'without it, the default id, which the server does not have'
        def nothing = fhirmig([:], 'adopt')

        then:
        nothing.code == 2
        nothing.err.contains('nothing to adopt')
        nothing.err.contains('http://fhir.migration.system|e61c4580-2493-417f-a26c-26faa8eb70ba')
        nothing.err.contains('MIGRATION_RESOURCE_ID')

        when:
        def adopted = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'adopt')
        def upgraded = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'upgrade')

        then:
        adopted.code == 0
        upgraded.code == 0
        ServerProbe.markers(ns) == ["${C}:upgrade".toString()]
    }

    def "legacyResourceId in the settings file says it too; the environment is stronger"() {
        given:
        tool(A)
        Path settings = Files.writeString(dir.resolve('fhirmig.properties'), "legacyResourceId=${toolId}\n")

        when:
        def fromFile = fhirmig([:], 'current', '--config', settings.toString())
        def envWins = fhirmig([MIGRATION_RESOURCE_ID: 'not-' + toolId], 'current', '--config', settings.toString())

        then:
        fromFile.code == 0
        fromFile.out.readLines()[0] == "${A}  0001_a.groovy  (recorded by the Python tool; run `fhirmig adopt`)".toString()
        envWins.code == 0
        envWins.out.readLines()[0] == 'base (nothing applied)'
    }

    def "a revision that no script declares: adopt exits 3 naming it, and changes nothing"() {
        given:
        String unknown = 'ffff9999-0000-4000-8000-00000000dead'
        tool(unknown)

        when:
        def adopt = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'adopt')
        def upgrade = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'upgrade')
        def current = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'current')

        then:
        adopt.code == 3
        adopt.err.contains(unknown)
        adopt.err.contains('no script')
        upgrade.code == 4
        upgrade.err.contains(unknown)
        current.code == 0
        current.out.readLines()[0].startsWith("${unknown}  (declared by no script")

        and:
        ServerProbe.stateJson(ns).empty
        ServerProbe.appliedJson(ns).empty
        ServerProbe.markers(ns).empty
    }

    def "a tool resource with no code is a clear error: adopt exits 4 saying it records no revision, and changes nothing"() {
        given:
        String id = tool(null)

        when:
        def adopt = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'adopt')
        def upgrade = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'upgrade')

        then:
        adopt.code == 4
        adopt.err.contains('records no revision')
        adopt.err.contains("Basic/${id}")
        upgrade.code == 4
        upgrade.err.contains('records no revision')

        and:
        ServerProbe.stateJson(ns).empty
        ServerProbe.markers(ns).empty
    }

    def "adopt --dry-run --json says what it would record and writes nothing"() {
        given:
        String id = tool(B)

        when:
        def run = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'adopt', '--dry-run', '--json')

        then:
        run.code == 0
        def json = new groovy.json.JsonSlurper().parseText(run.out)
        json.dryRun == true
        json.pythonTool.resource == "Basic/${id}".toString()
        json.pythonTool.revision == B
        json.recorded*.revision == [A, B]
        json.recorded.every { it.adoptedFrom == "Basic/${id}".toString() }
        ServerProbe.stateJson(ns).empty
        ServerProbe.appliedJson(ns).empty
    }

    def "a namespace with a fhirmig state of its own is not adopted over"() {
        given:
        tool(B)
        // fhirmig's own state, written before the tool's resource is named (the default id is looked for).
        assert fhirmig([:], 'upgrade', A).code == 0

        when:
        def adopt = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'adopt')
        def upgrade = fhirmig([MIGRATION_RESOURCE_ID: toolId], 'upgrade')

        then: 'the tool resource is not even looked at by a run: the namespace has a state'
        adopt.code == 2
        adopt.err.contains('has a fhirmig state of its own')
        upgrade.code == 0
        ServerProbe.markers(ns) == ["${A}:upgrade", "${B}:upgrade", "${C}:upgrade"]*.toString()
    }

    def "the library: legacyResourceId, current() marks the tool's head, adopt() records it"() {
        given:
        String id = tool(B)

        when:
        def fhirmig = Fhirmig.configure().url(TestServer.baseUrl()).versions(versions).namespace(ns)
                .legacyResourceId(toolId).load()
        def before = fhirmig.current()
        fhirmig.upgrade()

        then:
        def refused = thrown(FhirmigException)
        refused.kind() == FhirmigException.Kind.SERVER
        before.headRevisions() == [B]
        before.recordedByPythonTool()

        when:
        def dry = fhirmig.adopt(true)
        def adopted = fhirmig.adopt()
        def after = fhirmig.current()
        def up = fhirmig.upgrade()

        then:
        dry.dryRun() && dry.recorded()*.revision() == [A, B]
        ServerProbe.stateJson(ns).size() == 1
        adopted.pythonTool().resource() == "Basic/${id}".toString()
        adopted.pythonTool().revision() == B
        adopted.pythonTool().lastUpdated() != null
        adopted.recorded()*.revision() == [A, B]
        adopted.heads() == [B]
        !adopted.dryRun()
        after.headRevisions() == [B]
        !after.recordedByPythonTool()
        up.steps()*.revision() == [C]
        ServerProbe.markers(ns) == ["${C}:upgrade".toString()]

        cleanup:
        fhirmig?.close()
    }
}
