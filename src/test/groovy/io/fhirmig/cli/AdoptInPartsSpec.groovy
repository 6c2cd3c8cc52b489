package io.fhirmig.cli

import ca.uhn.fhir.rest.client.api.IGenericClient
import io.fhirmig.FaultProxy
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * An adoption of more revisions than one transaction holds, stopped between its transactions: the
 * error says how far it got and to adopt again, nothing runs meanwhile, and adopting again writes the
 * records the first did not, each marked as adopted.
 */
class AdoptInPartsSpec extends Specification {

    @TempDir
    Path versions

    String ns = ServerProbe.unique('adoptparts')
    String toolId = UUID.randomUUID().toString()
    IGenericClient client = TestServer.newClient()
    String toolResourceId

    CliRun fhirmig(String url, String... command) {
        EnvCli.run([MIGRATION_RESOURCE_ID: toolId], [*command, '--url', url, '--versions', versions, '--namespace', ns])
    }

    def cleanup() {
        if (toolResourceId != null) {
            client.delete().resourceById('Basic', toolResourceId).execute()
        }
    }

    def "an adopt stopped between its transactions says so, and adopting again finishes it"() {
        given: "250 migrations the Python tool applied, and a server that refuses the adoption's second transaction of records"
        List<String> revisions = Scripts.chain(versions, (1..250).collect { String.format('t%03d', it) })
        toolResourceId = AdoptCommandSpec.createToolResource(client, toolId, 't250')
        def proxy = new FaultProxy(TestServer.baseUrl())
        int transactionsWithRecords = 0
        proxy.rule(method: 'POST', match: { it.bodyText().contains('ifNoneExist') && ++transactionsWithRecords == 2 },
                fault: FaultProxy.status(400))

        when:
        def adopt = fhirmig(proxy.baseUrl(), 'adopt')

        then: "it fails, naming how far it got and adopt as what finishes it; the head is the tool's, with 200 adopted records and no lock"
        adopt.code == 4
        adopt.err.contains('The adopt stopped after 1 of its 2 transactions of records: the head is t250')
        adopt.err.contains('until `fhirmig adopt` is run again to finish it')
        ServerProbe.store(ns).read().heads() == ['t250']
        ServerProbe.store(ns).read().lock() == null
        def written = ServerProbe.store(ns).appliedRecords()
        written.size() == 200
        written.every { it.adoptedFrom() == toolResourceId }

        when: "an upgrade meanwhile"
        def upgrade = fhirmig(TestServer.baseUrl(), 'upgrade')

        then: "refuses and runs nothing"
        upgrade.code == 4
        upgrade.err.contains('no applied record')
        ServerProbe.markers(ns) == []

        when: "a dry run of adopt, then adopt"
        def dryRun = fhirmig(TestServer.baseUrl(), 'adopt', '--dry-run')
        def again = fhirmig(TestServer.baseUrl(), 'adopt')

        then: "the dry run lists the 50 records still to write; adopt writes them, each marked as adopted, each revision once"
        dryRun.code == 0
        dryRun.out.readLines().count { it.startsWith('  t') } == 50
        again.code == 0
        again.out.startsWith("adopted the Python tool's state (Basic/${toolResourceId}")
        def records = ServerProbe.store(ns).appliedRecords()
        records*.revision().sort() == revisions
        records.every { it.adoptedFrom() == toolResourceId }
        ServerProbe.store(ns).read().heads() == ['t250']

        and: "adopting once more does nothing, and an upgrade has nothing to run"
        fhirmig(TestServer.baseUrl(), 'adopt').out.startsWith('already adopted')
        fhirmig(TestServer.baseUrl(), 'upgrade').code == 0
        ServerProbe.markers(ns) == []

        cleanup:
        proxy?.close()
    }
}
