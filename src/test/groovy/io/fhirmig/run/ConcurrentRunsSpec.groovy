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
import java.time.Duration
import java.util.concurrent.Callable
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Two upgrades started at the same moment against one server, as two threads, each with its own
 * connection and identity, on a namespace that has no state yet (so they also race to create it).
 * Each migration's upgrade() must run exactly once; every migration leaves a marker per run of its
 * upgrade(), and sleeps, so that the runs overlap.
 */
class ConcurrentRunsSpec extends Specification {

    static final List<String> REVISIONS = ['c1', 'c2', 'c3']

    @Shared
    ExecutorService pool = Executors.newFixedThreadPool(2)

    @TempDir
    Path versions

    String ns = ServerProbe.unique('concurrent')

    def setup() {
        Scripts.chain(versions, REVISIONS, "mark('upgrade'); Thread.sleep(400)")
    }

    def cleanupSpec() {
        pool.shutdownNow()
    }

    Migrator migrator(RunIdentity identity, Duration lockWait) {
        def connection = FhirConnection.open(ConnectionOptions.of(TestServer.baseUrl()))
        new Migrator(MigrationSet.load(versions), new FhirStateStore(connection, ns), connection, new ScriptCompiler(),
                new AuditLog(ns, connection.displayUrl(), identity), identity,
                new RunOptions(RunOptions.DEFAULT_LOCK_TTL, lockWait, [:]))
    }

    /** Runs the tasks in two threads released at the same moment; returns their results in order. */
    List<Object> atTheSameMoment(Closure<Object> first, Closure<Object> second) {
        def barrier = new CyclicBarrier(2)
        def futures = [first, second].collect { task ->
            pool.submit({
                barrier.await()
                task()
            } as Callable<Object>)
        }
        futures.collect { it.get(120, TimeUnit.SECONDS) }
    }

    /** What one Migrator run ended with: its result, or the exception it threw. */
    static Closure<Object> upgradeBy(Migrator migrator) {
        return {
            try {
                migrator.upgrade(Target.parse('head'), false)
            } catch (FhirmigException e) {
                e
            }
        }
    }

    def "two Migrators at once without waiting: one applies every migration once, the other is refused naming the owner (#attempt)"() {
        given:
        def alice = new RunIdentity('alice', 'host-a', 101, "a-${attempt}")
        def bob = new RunIdentity('bob', 'host-b', 202, "b-${attempt}")
        def runs = [alice: migrator(alice, Duration.ZERO), bob: migrator(bob, Duration.ZERO)]

        when:
        def outcomes = atTheSameMoment(upgradeBy(runs.alice), upgradeBy(runs.bob))
        def byWho = [alice: outcomes[0], bob: outcomes[1]]

        then: 'each upgrade() ran exactly once'
        ServerProbe.markers(ns) == ['c1:upgrade', 'c2:upgrade', 'c3:upgrade']

        and: 'one run applied all three, the other was refused with exit code 5, naming the first as the owner'
        def winner = byWho.find { it.value instanceof RunResult }
        def loser = byWho.find { it.value instanceof FhirmigException }
        winner != null && loser != null
        (winner.value as RunResult).steps()*.revision() == REVISIONS
        def refusal = loser.value as FhirmigException
        refusal.kind().exitCode() == 5
        refusal.message.contains("locked by ${[alice: alice, bob: bob][winner.key].lockOwner()} (running ")

        and: 'one state, at the head, unlocked; one record per migration'
        ServerProbe.stateJson(ns).size() == 1
        ServerProbe.store(ns).read().heads() == ['c3']
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).appliedRecords()*.revision().sort() == REVISIONS

        where:
        attempt << [1, 2, 3]
    }

    def "two upgrade commands at once with --lock-wait: one applies, the other waits and finds nothing to do"() {
        when:
        def results = atTheSameMoment({ Cli.on(ns, versions, 'upgrade', '--lock-wait', '60') },
                { Cli.on(ns, versions, 'upgrade', '--lock-wait', '60') })

        then: 'both exit 0'
        results*.code == [0, 0]

        and: 'each upgrade() ran exactly once'
        ServerProbe.markers(ns) == ['c1:upgrade', 'c2:upgrade', 'c3:upgrade']

        and: 'one applied all three; the other, after waiting, had nothing to do'
        results*.out.count { it.contains('upgraded 3 migration(s)') } == 1
        results*.out.count { it == '' } == 1
        ServerProbe.store(ns).read().heads() == ['c3']
        ServerProbe.store(ns).read().lock() == null
    }

    def "two upgrade commands at once without waiting: one applies, the other exits 5 naming the lock's owner"() {
        when:
        def results = atTheSameMoment({ Cli.on(ns, versions, 'upgrade') }, { Cli.on(ns, versions, 'upgrade') })
        def winner = results.find { it.code == 0 }
        def loser = results.find { it.code != 0 }

        then:
        ServerProbe.markers(ns) == ['c1:upgrade', 'c2:upgrade', 'c3:upgrade']
        winner.out.contains('upgraded 3 migration(s)')
        loser.code == 5

        and: 'the owner named is a run that held the lock on the server'
        def owner = (loser.err =~ /locked by (\S+@\S+ pid \d+ \S+) \(running /)
        owner.find()
        def lockOwners = ServerProbe.historyJson('Basic', ServerProbe.stateJson(ns)[0].id as String)
                .collectMany { version -> version.extension.findAll { it.url == 'urn:fhirmig:lock' } }
                .collect { lock -> lock.extension.find { it.url == 'owner' }.valueString }
                .unique()
        lockOwners.size() == 1
        owner.group(1) == lockOwners[0]
    }
}
