package io.fhirmig.state

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.fhir.ConnectionOptions
import io.fhirmig.fhir.FhirConnection
import io.fhirmig.graph.Target
import io.fhirmig.run.AuditLog
import io.fhirmig.run.MigrationSet
import io.fhirmig.run.Migrator
import io.fhirmig.run.RunIdentity
import io.fhirmig.run.RunOptions
import io.fhirmig.script.ScriptCompiler
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The lock on a namespace's state: a lock left by a run that died (written here straight into the
 * state, as that run would have left it) refuses other runs, naming its owner and step, until it
 * lapses or `unlock` clears it; a live run's lock names the step it is running and is renewed.
 */
class LockSpec extends Specification {

    static final String GHOST = 'carol@build-9 pid 4711 deadbeef'
    static final String GHOST_STEP = 'upgrade k2 (0002_k2.groovy)'

    @TempDir
    Path versions

    String ns = ServerProbe.unique('lock')
    FhirStateStore store = ServerProbe.store(ns)

    def setup() {
        Scripts.chain(versions, ['k1', 'k2'])
    }

    LockInfo ghostLock(Instant expiresAt) {
        new LockInfo(GHOST, GHOST_STEP, expiresAt)
    }

    def "a lock left by a killed run refuses upgrade with exit 5, naming the owner and the step"() {
        given:
        def expiresAt = Instant.now().plusSeconds(600)
        store.acquireLock(ghostLock(expiresAt))

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 5
        result.err.readLines() == ["error: namespace '${ns}' is locked by ${GHOST} (running ${GHOST_STEP},".toString()
                + " lock lapses at ${expiresAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)}); wait for it, pass"
                + ' --lock-wait SECONDS, or if that run is dead clear it with `fhirmig unlock`']
        ServerProbe.markers(ns) == []

        and: 'the lock is untouched'
        store.read().lock() == ghostLock(expiresAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))

        and: 'check reports it with the same exit code; current shows it'
        def check = Cli.on(ns, versions, 'check')
        check.code == 5
        check.outLines().contains("PROBLEM  lock: locked by ${GHOST} (${GHOST_STEP}, lapses at ${store.read().lock().expiresAt()})".toString())
        Cli.on(ns, versions, 'current').out.contains("locked by ${GHOST}")
        Cli.on(ns, versions, 'current', '--json').json().lock.owner == GHOST
    }

    def "--lock-wait waits for the lock, then gives up with exit 5 when it is still held"() {
        given:
        store.acquireLock(ghostLock(Instant.now().plusSeconds(600)))

        when:
        long started = System.nanoTime()
        def result = Cli.on(ns, versions, 'upgrade', '--lock-wait', '1')
        long waitedMs = (System.nanoTime() - started) / 1_000_000

        then:
        result.code == 5
        result.err.contains("is locked by ${GHOST}")
        waitedMs >= 1000
        ServerProbe.markers(ns) == []
    }

    def "a lapsed lock does not stop an upgrade"() {
        given: 'a lock that lapsed a minute ago'
        store.acquireLock(ghostLock(Instant.now().minusSeconds(60)))

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 0
        ServerProbe.markers(ns) == ['k1:upgrade', 'k2:upgrade']
        store.read().heads() == ['k2']
        store.read().lock() == null
    }

    def "a lock refuses runs until it lapses"() {
        given: 'a lock that lapses in a second'
        store.acquireLock(ghostLock(Instant.now().plusMillis(1000)))

        expect:
        Cli.on(ns, versions, 'upgrade').code == 5

        when:
        Thread.sleep(1200)
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 0
        ServerProbe.markers(ns) == ['k1:upgrade', 'k2:upgrade']
    }

    def "unlock clears a live lock, and upgrade then runs"() {
        given:
        store.acquireLock(ghostLock(Instant.now().plusSeconds(600)))

        when:
        def unlock = Cli.on(ns, versions, 'unlock')

        then:
        unlock.code == 0
        unlock.outLines() == ["cleared the lock of ${GHOST} (${GHOST_STEP})".toString()]
        store.read().lock() == null

        when:
        def again = Cli.on(ns, versions, 'unlock')
        def upgrade = Cli.on(ns, versions, 'upgrade')

        then:
        again.code == 0
        again.outLines() == ['not locked']
        upgrade.code == 0
        ServerProbe.markers(ns) == ['k1:upgrade', 'k2:upgrade']
    }

    def "while a step runs, the lock names this run and that step, and it is renewed at every step"() {
        given: 'migrations that record the lock they see on the server while they run'
        ['k1', 'k2'].eachWithIndex { String revision, int i ->
            Scripts.write(versions, "000${i + 1}_${revision}.groovy", Scripts.marking(revision, i == 0 ? null : 'k1', '''\
Bundle found = fhir.search()
            .byUrl('Basic?identifier=' + URLEncoder.encode('urn:fhirmig:state|' + migration.namespace, 'UTF-8'))
            .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
            .returnBundle(Bundle).execute()
    Extension lock = ((Basic) found.entry[0].getResource()).getExtensionByUrl('urn:fhirmig:lock')
    mark('owner=' + lock.getExtensionByUrl('owner').value.primitiveValue())
    mark('step=' + lock.getExtensionByUrl('step').value.primitiveValue())
    mark('expiresAt=' + lock.getExtensionByUrl('expiresAt').value.primitiveValue())
    Thread.sleep(100)'''))
        }
        def identity = new RunIdentity('dave', 'ci-3', 321, 'cafe0001')
        def connection = FhirConnection.open(ConnectionOptions.of(TestServer.baseUrl()))
        def migrator = new Migrator(MigrationSet.load(versions), new FhirStateStore(connection, ns), connection,
                new ScriptCompiler(), new AuditLog(ns, connection.displayUrl(), identity), identity,
                new RunOptions(Duration.ofSeconds(120), Duration.ZERO, [:]))

        when:
        Instant started = Instant.now()
        migrator.upgrade(Target.parse('head'), false)
        Map<String, String> seen = ServerProbe.markers(ns).collectEntries { String marker ->
            def (revision, what) = marker.split(':', 2)
            [(revision + ' ' + what.substring(0, what.indexOf('='))): what.substring(what.indexOf('=') + 1)]
        }

        then: 'each step saw this run as the owner, and itself as the step'
        seen['k1 owner'] == 'dave@ci-3 pid 321 cafe0001'
        seen['k2 owner'] == 'dave@ci-3 pid 321 cafe0001'
        seen['k1 step'] == 'upgrade k1 (0001_k1.groovy)'
        seen['k2 step'] == 'upgrade k2 (0002_k2.groovy)'

        and: 'the lock lapses the TTL after it was last renewed, and was renewed between the steps'
        def k1Expiry = Instant.parse(seen['k1 expiresAt'])
        def k2Expiry = Instant.parse(seen['k2 expiresAt'])
        !k1Expiry.isBefore(started.plusSeconds(120).minusSeconds(1))
        k1Expiry.isBefore(Instant.now().plusSeconds(120))
        Duration.between(k1Expiry, k2Expiry).toMillis() >= 100

        and: 'released at the end'
        store.read().lock() == null
    }
}
