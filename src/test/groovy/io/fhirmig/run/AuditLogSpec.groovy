package io.fhirmig.run

import groovy.json.JsonSlurper
import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.state.LockInfo
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The audit log: one JSON line per run start, step start, step success, step failure, stamp, unlock
 * and repair. The tests' audit file is set by the pom (system property fhirmig.audit.file); each
 * feature reads the events of its own namespace.
 */
class AuditLogSpec extends Specification {

    static final Path AUDIT_FILE = Path.of(System.getProperty('fhirmig.audit.file', '.fhirmig/audit.log'))

    @TempDir
    Path versions

    String ns = ServerProbe.unique('audit')

    /** This namespace's events, oldest first; every line of the file must be one JSON object. */
    List<Map> auditEvents() {
        if (!Files.exists(AUDIT_FILE)) {
            return []
        }
        def slurper = new JsonSlurper()
        Files.readAllLines(AUDIT_FILE).findAll { !it.isBlank() }.collect { slurper.parseText(it) as Map }
                .findAll { it.namespace == ns }
    }

    def "the audit file is set for the tests"() {
        expect:
        System.getProperty('fhirmig.audit.file')?.endsWith('test-audit.log')
    }

    def "an upgrade writes run-start, then step-start and step-success for each step"() {
        given:
        Scripts.chain(versions, ['au1', 'au2'])

        when:
        def result = Cli.on(ns, versions, 'upgrade')
        def events = auditEvents()

        then: 'a step-success is written once its commit lands (the next step may have started by then)'
        result.code == 0
        events*.event.sort() == ['run-start', 'step-start', 'step-start', 'step-success', 'step-success']
        events[0].event == 'run-start'
        events.findAll { it.revision == 'au1' }*.event == ['step-start', 'step-success']
        events.findAll { it.revision == 'au2' }*.event == ['step-start', 'step-success']
        events.findAll { it.event == 'step-start' }*.revision == ['au1', 'au2']
        events.findAll { it.event == 'step-success' }*.revision == ['au1', 'au2']

        and: 'every event says when, where, who and which run'
        events.every { it.namespace == ns && it.server == TestServer.baseUrl() }
        events.every { it.user == System.getProperty('user.name') && it.host && Instant.parse(it.time as String) }
        events*.run.unique().size() == 1

        and:
        events[0].direction == 'upgrade'
        events[0].target == 'head'
        events[0].steps == 2
        events[1..4].every { it.direction == 'upgrade' }
        events[1..4].every { it.file == (it.revision == 'au1' ? '0001_au1.groovy' : '0002_au2.groovy') }
        events.findAll { it.event == 'step-success' }*.outcome == ['success', 'success']
        events.findAll { it.event == 'step-success' }.every { it.durationMs instanceof Number }

        when: 'a downgrade'
        Cli.on(ns, versions, 'downgrade')
        def down = auditEvents().drop(5)

        then:
        down*.event == ['run-start', 'step-start', 'step-success']
        down*.direction == ['downgrade'] * 3
        down[0].target == '-1'
        down[1..2]*.revision == ['au2', 'au2']
    }

    def "a failing step writes step-failure with the error, and no step-success"() {
        given:
        Scripts.write(versions, '0001_ok.groovy', Scripts.marking('af1', null))
        String failing = Scripts.marking('af2', 'af1', "throw new IllegalStateException('audited failure')")
        Scripts.write(versions, '0002_fails.groovy', failing)

        when:
        def result = Cli.on(ns, versions, 'upgrade')
        def events = auditEvents()

        then:
        result.code == 1
        // af1 wrote its marker, so it is committed (and its success written) before af2 starts.
        events*.event == ['run-start', 'step-start', 'step-success', 'step-start', 'step-failure']
        events.findAll { it.event == 'step-success' }*.revision == ['af1']
        with(events.last()) {
            revision == 'af2'
            direction == 'upgrade'
            file == '0002_fails.groovy'
            outcome == 'failed'
            error.startsWith("0002_fails.groovy:${Scripts.lineOf(failing, 'audited failure')}: upgrade() failed")
            durationMs instanceof Number
        }
    }

    def "stamp, unlock and repair are audited"() {
        given:
        Scripts.chain(versions, ['as1', 'as2'])

        when:
        Cli.on(ns, versions, 'stamp', 'head')
        ServerProbe.store(ns).acquireLock(new LockInfo('frank@gone pid 9 0bad', 'upgrade as2', Instant.now().plusSeconds(600)))
        Cli.on(ns, versions, 'unlock')
        Files.writeString(versions.resolve('0001_as1.groovy'), '// edited\n' + Files.readString(versions.resolve('0001_as1.groovy')))
        Cli.on(ns, versions, 'repair')
        def events = auditEvents()

        then:
        events*.event == ['stamp', 'unlock', 'repair']
        events[0].target == 'head'
        events[0].headsAfter == 'as2'
        events[0].outcome == 'success'
        events[1].owner == 'frank@gone pid 9 0bad'
        events[1].step == 'upgrade as2'
        events[1].outcome == 'cleared'
        events[2].checksumsAccepted == 'as1'
        events[2].outcome == 'success'
    }

    def "a server URL with credentials is audited without them"() {
        given:
        Scripts.chain(versions, ['ac1'])
        String withCredentials = TestServer.baseUrl().replace('http://', 'http://auditor:hunter2@')

        when:
        def result = Cli.run('upgrade', '--url', withCredentials, '--versions', versions.toString(), '--namespace', ns)

        then:
        result.code == 0
        auditEvents()*.server.unique() == [TestServer.baseUrl()]
        !Files.readString(AUDIT_FILE).contains('hunter2')
    }
}
