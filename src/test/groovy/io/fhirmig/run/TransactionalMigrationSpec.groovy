package io.fhirmig.run

import io.fhirmig.Cli
import io.fhirmig.api.FhirmigException
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.fhir.ConnectionOptions
import io.fhirmig.fhir.FhirConnection
import io.fhirmig.graph.Target
import io.fhirmig.script.ScriptCompiler
import io.fhirmig.state.FhirStateStore
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A transactional migration ({@code transactional = true}) writes through migration.create/update/delete;
 * its writes join the step's transaction with the applied record and the new head, so they all land
 * or none does.
 */
class TransactionalMigrationSpec extends Specification {

    @TempDir
    Path versions

    String ns = ServerProbe.unique('transactional')
    String system = "urn:fhirmig-test:tx-data:${ns}"

    /** A transactional migration that creates one Basic and puts another under a chosen id, then runs {@code after}. */
    String writingTwo(String revision, String downRevision, String clientId, String after) {
        """\
revision      = '${revision}'
downRevision  = ${downRevision == null ? 'null' : "'${downRevision}'"}
transactional = true

void upgrade() {
    Basic created = new Basic()
    created.addIdentifier().setSystem('${system}').setValue('created-by-${revision}')
    created.code = new CodeableConcept(new Coding('urn:fhirmig-test', 'tx', null))
    migration.create(created)

    Basic updated = new Basic()
    updated.id = '${clientId}'
    updated.addIdentifier().setSystem('${system}').setValue('updated-by-${revision}')
    updated.code = new CodeableConcept(new Coding('urn:fhirmig-test', 'tx', null))
    migration.update(updated)
    ${after}
}

void downgrade() {
    migration.delete('Basic/${clientId}')
    migration.delete('Basic?identifier=' + URLEncoder.encode('${system}|created-by-${revision}', 'UTF-8'))
}
"""
    }

    Migrator migrator() {
        def connection = FhirConnection.open(ConnectionOptions.of(TestServer.baseUrl()))
        def identity = RunIdentity.current()
        new Migrator(MigrationSet.load(versions), new FhirStateStore(connection, ns), connection, new ScriptCompiler(),
                new AuditLog(ns, connection.displayUrl(), identity), identity, RunOptions.defaults())
    }

    List<String> dataValues() {
        ServerProbe.basicsWithSystem(system).collect { it.identifierFirstRep.value }.sort()
    }

    def "a transactional migration that writes two resources and then throws leaves neither, and the head stays"() {
        given:
        Scripts.write(versions, '0001_plain.groovy', Scripts.marking('t1', null))
        String failing = writingTwo('t2', 't1', "tx-fail-${ns}", "throw new IllegalStateException('after two writes')")
        Scripts.write(versions, '0002_tx.groovy', failing)

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 1
        result.err.startsWith("error: 0002_tx.groovy:${Scripts.lineOf(failing, 'after two writes')}: upgrade() failed:"
                + ' IllegalStateException: after two writes')
        result.err.contains('it is transactional, so none of its writes were made')

        and: 'neither resource exists'
        dataValues() == []
        ServerProbe.status("Basic/tx-fail-${ns}") == 404

        and: 'the head did not move past the first migration'
        ServerProbe.store(ns).read().heads() == ['t1']
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).appliedRecords()*.revision() == ['t1']
    }

    def "a transactional migration that succeeds commits its writes with the head, and its downgrade removes them"() {
        given:
        Scripts.write(versions, '0001_tx.groovy', writingTwo('s1', null, "tx-ok-${ns}", ''))

        when:
        def result = migrator().upgrade(Target.parse('head'), false)

        then:
        result.steps()*.revision() == ['s1']
        result.headsAfter() == ['s1']
        dataValues() == ['created-by-s1', 'updated-by-s1']
        ServerProbe.getJson("Basic/tx-ok-${ns}").identifier[0].value == 'updated-by-s1'
        ServerProbe.store(ns).read().heads() == ['s1']
        ServerProbe.store(ns).appliedRecords()*.revision() == ['s1']

        when:
        def down = migrator().downgrade(Target.parse('base'), false)

        then:
        down.headsAfter() == []
        dataValues() == []
        ServerProbe.status("Basic/tx-ok-${ns}") == 410
        ServerProbe.store(ns).appliedRecords() == []
    }

    def "when the server refuses one of a transactional migration's writes, none of them is made and the head stays"() {
        given: 'a resource at version 2, which the migration updates as if it still were at version 1'
        def client = TestServer.newClient()
        def basic = new org.hl7.fhir.r4.model.Basic()
        basic.id = "stale-${ns}"
        basic.addIdentifier().setSystem(system).setValue('existing')
        basic.code = new org.hl7.fhir.r4.model.CodeableConcept().setText('v1')
        client.update().resource(basic).execute()
        basic.code.text = 'v2'
        client.update().resource(basic).execute()
        Scripts.write(versions, '0001_stale.groovy', """\
revision      = 'c1'
downRevision  = null
transactional = true

void upgrade() {
    Basic created = new Basic()
    created.addIdentifier().setSystem('${system}').setValue('created-by-c1')
    created.code = new CodeableConcept(new Coding('urn:fhirmig-test', 'tx', null))
    migration.create(created)

    Basic old = fhir.read().resource(Basic).withIdAndVersion('stale-${ns}', '1').execute()
    old.code.text = 'changed by c1'
    migration.update(old)
}

void downgrade() {
}
""")

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 1
        result.err.contains('0001_stale.groovy: the server refused the step\'s transaction, so none of its writes were made')

        and:
        dataValues() == ['existing']
        ServerProbe.getJson("Basic/stale-${ns}").code.text == 'v2'
        ServerProbe.store(ns).read().heads() == []
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).appliedRecords() == []
    }

    def "a transactional migration that writes through the fhir client directly is refused, and nothing is written"() {
        given:
        String direct = """\
revision      = 'd1'
downRevision  = null
transactional = true

void upgrade() {
    Basic basic = new Basic()
    basic.addIdentifier().setSystem('${system}').setValue('direct')
    basic.code = new CodeableConcept(new Coding('urn:fhirmig-test', 'tx', null))
    fhir.create().resource(basic).execute()
}

void downgrade() {
}
"""
        Scripts.write(versions, '0001_direct.groovy', direct)

        when:
        migrator().upgrade(Target.parse('head'), false)

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.MIGRATION_FAILED
        e.message.startsWith("0001_direct.groovy:${Scripts.lineOf(direct, 'fhir.create()')}: upgrade() failed:")
        e.message.contains('must write through migration.create()')

        and:
        dataValues() == []
        ServerProbe.store(ns).read().heads() == []
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).appliedRecords() == []

        when: 'the same through the command line'
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 1
        result.err.contains('0001_direct.groovy is transactional, so it must write through migration.create()')
        dataValues() == []
    }
}
