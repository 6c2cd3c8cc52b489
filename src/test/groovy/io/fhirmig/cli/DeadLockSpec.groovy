package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.run.RunIdentity
import io.fhirmig.secure.LogCapture
import io.fhirmig.state.LockInfo
import java.nio.file.Path
import java.time.Instant
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The lock of a run killed on this machine: its owner names this host and a process that is gone, so
 * the next run takes it over at once, saying whose it was. A lock whose process runs, or of another
 * host, keeps its expiry (exit 5).
 */
class DeadLockSpec extends Specification {

    @TempDir
    Path versions

    String ns = ServerProbe.unique('deadlock')

    String host = RunIdentity.current().host()

    /** The id of a process that has ended. */
    static long endedPid() {
        def process = new ProcessBuilder('true').start()
        process.waitFor()
        long pid = process.pid()
        assert !ProcessHandle.of(pid).map { it.alive }.orElse(false)
        pid
    }

    static Instant thisStarted() {
        ProcessHandle.current().info().startInstant().get()
    }

    Map upgradeLogged() {
        def log = new LogCapture()
        try {
            def result = Cli.on(ns, versions, 'upgrade')
            [result: result, log: log.text()]
        } finally {
            log.close()
        }
    }

    def "the lock of a run on this host whose process has ended is taken over at once, with a warning naming it"() {
        given: 'a lock that would last ten more minutes, of a process that is gone'
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        long pid = endedPid()
        def owner = "carol@${host} pid ${pid} deadbeef".toString()
        ServerProbe.store(ns).acquireLock(new LockInfo(owner, 'upgrade a (0001_a.groovy)', Instant.now().plusSeconds(600)))

        when:
        def run = upgradeLogged()

        then:
        run.result.code == 0
        run.log.contains("WARN io.fhirmig.run.StateLock took over the lock of ${owner} (it was running upgrade a"
                + " (0001_a.groovy)): its process ${pid} on this host is no longer running, so that step may be half done")
        ServerProbe.markerCount(ns, 'a') == 1
        ServerProbe.store(ns).read().lock() == null
    }

    def "the lock of a process id that a later process has now is taken over at once"() {
        given: 'a lock whose owner had the id this JVM has, but started an hour before it'
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        long pid = ProcessHandle.current().pid()
        def owner = "carol@${host} pid ${pid} deadbeef".toString()
        def ownerStarted = ProcessHandle.current().info().startInstant().get().minusSeconds(3600)
        ServerProbe.store(ns).acquireLock(new LockInfo(owner, 'upgrade a (0001_a.groovy)', Instant.now().plusSeconds(600),
                ownerStarted))

        when:
        def run = upgradeLogged()

        then:
        run.result.code == 0
        run.log.contains("took over the lock of ${owner} (it was running upgrade a (0001_a.groovy)): its process ${pid}"
                + ' on this host is no longer running')
        ServerProbe.markerCount(ns, 'a') == 1
    }

    def "a run's lock says when its process started"() {
        given:
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))

        when:
        def run = Cli.on(ns, versions, 'upgrade')
        def started = ServerProbe.historyJson('Basic', ServerProbe.stateJson(ns)[0].id as String)
                .collectMany { version -> version.extension.findAll { it.url == 'urn:fhirmig:lock' } }
                .collect { lock -> Instant.parse(lock.extension.find { it.url == 'ownerStarted' }.valueDateTime as String) }
                .unique()
        long drift = (started[0].toEpochMilli() - thisStarted().toEpochMilli()).abs()

        then:
        run.code == 0
        started.size() == 1
        drift < 1000
    }

    def "a lock of #whose keeps its expiry: exit 5, nothing run"() {
        given:
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        def owner = ownerOf(host).toString()
        ServerProbe.store(ns).acquireLock(new LockInfo(owner, 'upgrade a (0001_a.groovy)', Instant.now().plusSeconds(600),
                started))

        when:
        def run = upgradeLogged()

        then:
        run.result.code == 5
        run.result.err.contains("is locked by ${owner}")
        !run.log.contains('took over')
        ServerProbe.markerCount(ns, 'a') == 0
        ServerProbe.store(ns).read().lock().owner() == owner

        where:
        whose                                           | ownerOf                                                            | started
        'a running process on this host'                | { h -> "dave@${h} pid ${ProcessHandle.current().pid()} 0b0b0b0b" } | thisStarted()
        'a running process, of an older fhirmig'        | { h -> "dave@${h} pid ${ProcessHandle.current().pid()} 0b0b0b0b" } | null
        'another host (whose processes are not seen)'   | { h -> "erin@not-${h} pid ${endedPid()} 0c0c0c0c" }                | null
    }
}
