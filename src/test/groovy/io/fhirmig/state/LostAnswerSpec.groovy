package io.fhirmig.state

import io.fhirmig.Cli
import io.fhirmig.api.FhirmigException
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.fhir.ConnectionOptions
import io.fhirmig.fhir.FhirConnection
import java.nio.file.Path
import java.time.Instant
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The answer to a commit, to taking the lock or to releasing it is lost after the server applied it
 * (the proxy forwards the request, then closes the connection unanswered). fhirmig reads the state
 * back: its version says whether the commit landed, and the run carries on or says truthfully what
 * happened. No step runs twice, and no lock is left behind.
 */
class LostAnswerSpec extends Specification {

    @TempDir
    Path versions

    @AutoCleanup
    LostAnswerProxy proxy = new LostAnswerProxy()

    String ns = ServerProbe.unique('lost')
    String dataSystem = "urn:fhirmig-test:lost-data:${ns}"

    /** Runs a command through the proxy. */
    Cli.Result viaProxy(String... command) {
        Cli.run(*(command as List<String>), '--url', proxy.baseUrl(), '--versions', versions.toString(), '--namespace', ns)
    }

    String transactionalCreating(String revision, String downRevision) {
        """\
revision      = '${revision}'
downRevision  = ${downRevision == null ? 'null' : "'${downRevision}'"}
transactional = true

void upgrade() {
    Basic data = new Basic()
    data.addIdentifier().setSystem('${dataSystem}').setValue('${revision}')
    data.code = new CodeableConcept(new Coding('urn:fhirmig-test', 'lost', null))
    migration.create(data)
}

void downgrade() {
}
"""
    }

    int dataCount() {
        ServerProbe.basicsWithSystem(dataSystem).size()
    }

    def "a transactional step whose commit answer is lost: read back as committed, the run goes on, nothing twice"() {
        given:
        Scripts.write(versions, '0001_t1.groovy', transactionalCreating('t1', null))
        Scripts.write(versions, '0002_t2.groovy', Scripts.marking('t2', 't1'))
        proxy.dropAnswerToNext { it.transaction && it.body.contains(dataSystem) }

        when:
        def result = viaProxy('upgrade')

        then: 'the answer was lost, and the run still succeeded'
        proxy.dropped.size() == 1
        result.code == 0

        and: 'the step was applied once, its head and record with it, and the lock is free'
        dataCount() == 1
        ServerProbe.markers(ns) == ['t2:upgrade']
        ServerProbe.store(ns).read().heads() == ['t2']
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).appliedRecords()*.revision().sort() == ['t1', 't2']

        when: 'the next run finds nothing to do'
        def again = viaProxy('upgrade')

        then:
        again.code == 0
        dataCount() == 1
        ServerProbe.markers(ns) == ['t2:upgrade']
    }

    def "a transactional step's commit that never reached the server is sent again, as it is known not to have landed"() {
        given:
        Scripts.write(versions, '0001_t1.groovy', transactionalCreating('t1', null))
        proxy.refuseNext { it.transaction && it.body.contains(dataSystem) }

        when:
        def result = viaProxy('upgrade')

        then:
        proxy.refused.size() == 1
        result.code == 0
        dataCount() == 1
        ServerProbe.store(ns).read().heads() == ['t1']
        ServerProbe.store(ns).read().lock() == null
    }

    def "a transactional step's commit that never reaches the server: exit 1 saying truthfully nothing was written, lock free"() {
        given: 'every attempt refused before it reaches the server'
        Scripts.write(versions, '0001_t1.groovy', transactionalCreating('t1', null))
        (1..3).each { proxy.refuseNext { it.transaction && it.body.contains(dataSystem) } }

        when:
        def result = viaProxy('upgrade')

        then:
        proxy.refused.size() == 3
        result.code == 1
        result.err.readLines().size() == 1
        result.err.contains('none of its writes were made')
        result.err.contains('the state is still at version')
        result.err.contains('nothing of this commit was written')
        dataCount() == 0
        ServerProbe.store(ns).read().heads() == []
        ServerProbe.store(ns).read().lock() == null

        when:
        def again = viaProxy('upgrade')

        then:
        again.code == 0
        dataCount() == 1
    }

    def "a step whose commit answer is lost (not transactional): committed, each marker once"() {
        given:
        Scripts.chain(versions, ['m1', 'm2', 'm3'])
        proxy.dropAnswerToNext { it.transaction && it.body.contains('urn:fhirmig:applied') }

        when:
        def result = viaProxy('upgrade')

        then:
        proxy.dropped.size() == 1
        result.code == 0
        ServerProbe.markers(ns) == ['m1:upgrade', 'm2:upgrade', 'm3:upgrade']
        ServerProbe.store(ns).read().heads() == ['m3']
        ServerProbe.store(ns).read().lock() == null
    }

    def "the answer to taking the lock is lost: the lock read back is this run's, the run goes on, the next is not locked out"() {
        given:
        Scripts.chain(versions, ['k1', 'k2'])
        proxy.dropAnswerToNext { it.transaction && it.body.contains('urn:fhirmig:lock') && !it.body.contains('urn:fhirmig:applied') }

        when:
        def result = viaProxy('upgrade')

        then:
        proxy.dropped.size() == 1
        result.code == 0
        ServerProbe.markers(ns) == ['k1:upgrade', 'k2:upgrade']
        ServerProbe.store(ns).read().lock() == null

        when:
        def next = Cli.on(ns, versions, 'upgrade')

        then:
        next.code == 0
        ServerProbe.markers(ns) == ['k1:upgrade', 'k2:upgrade']
    }

    def "the answer to releasing the lock is lost: the run succeeds and the lock is free"() {
        given:
        Scripts.chain(versions, ['r1'])
        proxy.dropAnswerToNext { it.transaction && !it.body.contains('urn:fhirmig:lock') }

        when:
        def result = viaProxy('upgrade')

        then:
        proxy.dropped.size() == 1
        result.code == 0
        result.err == ''
        ServerProbe.store(ns).read().lock() == null
        Cli.on(ns, versions, 'upgrade').code == 0
        ServerProbe.markers(ns) == ['r1:upgrade']
    }

    def "the lock's answer is lost and the state cannot be read back: the lock taken is given back, and the error says so"() {
        given:
        def direct = ServerProbe.store(ns)
        direct.forceUnlock()
        def created = direct.acquireLock(new LockInfo('setup', 'setup', Instant.now().plusSeconds(60)))
        direct.commit(created, StateChange.of([], null))
        def store = new FhirStateStore(FhirConnection.open(ConnectionOptions.of(proxy.baseUrl())), ns)
        proxy.dropAnswerToNext { it.transaction && it.body.contains('urn:fhirmig:lock') }
        proxy.refuseFromNowOn { it.method == 'GET' && it.path.contains('/Basic/') }

        when:
        store.acquireLock(new LockInfo('lost@host pid 2 y', 'upgrade x', Instant.now().plusSeconds(600)))

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.SERVER
        e.message.contains('this run holds no lock now')
        proxy.dropped.size() == 1
        !proxy.refused.empty
        direct.read().lock() == null
    }

    def "a commit's answer is lost and the state cannot be read back: CommitOutcomeUnknownException, which says it is not known"() {
        given:
        def direct = ServerProbe.store(ns)
        def locked = direct.acquireLock(new LockInfo('owner@host pid 3 z', 'upgrade x', Instant.now().plusSeconds(600)))
        def store = new FhirStateStore(FhirConnection.open(ConnectionOptions.of(proxy.baseUrl())), ns)
        proxy.dropAnswerToNext { it.transaction }
        proxy.refuseFromNowOn { it.method == 'GET' }

        when:
        store.commit(locked, StateChange.of(['x'], locked.lock()))

        then:
        def e = thrown(CommitOutcomeUnknownException)
        e.kind() == FhirmigException.Kind.SERVER
        e.message.contains('which is not known')
        e.expected() == locked
        direct.read().heads() == ['x']
    }
}
