package io.fhirmig.run

import io.fhirmig.Cli
import io.fhirmig.FaultProxy
import io.fhirmig.TestServer
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.secure.LogCapture
import io.fhirmig.state.LockInfo
import io.fhirmig.state.StateChange
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A completed step is recorded before anything could lose it; a run holds its lock for as long as a
 * step takes, and sends nothing once it no longer holds it; a step that runs too long is stopped; a
 * script cannot end the process.
 */
class LeaseSpec extends Specification {

    @TempDir
    Path versions

    @TempDir
    Path signals

    String ns = ServerProbe.unique('lease')

    def executor = Executors.newCachedThreadPool()

    def cleanup() {
        executor.shutdownNow()
    }

    /** A script body that says it started, then waits (sending nothing) until the spec lets it go. */
    String waitForGo(String name) {
        def started = signals.resolve(name + '.started').toString().replace('\\', '/')
        def go = signals.resolve(name + '.go').toString().replace('\\', '/')
        """new File('${started}').text = 'yes'
    long until = System.currentTimeMillis() + 20_000
    while (!new File('${go}').exists() && System.currentTimeMillis() < until) { Thread.sleep(50) }"""
    }

    void awaitStarted(String name) {
        long until = System.currentTimeMillis() + 60_000
        while (!Files.exists(signals.resolve(name + '.started'))) {
            assert System.currentTimeMillis() < until: "${name} never started"
            Thread.sleep(50)
        }
    }

    void go(String name) {
        Files.writeString(signals.resolve(name + '.go'), 'go')
    }

    Future<Cli.Result> inBackground(String... command) {
        executor.submit({ Cli.on(ns, versions, command) } as Callable<Cli.Result>)
    }

    def "a step that wrote to the server is recorded before the next step starts, even one that sends nothing"() {
        given: 'step 1 writes a marker; step 2 computes for a while and sends nothing'
        Scripts.write(versions, '0001_s1.groovy', Scripts.marking('s1', null))
        Scripts.write(versions, '0002_s2.groovy', Scripts.marking('s2', 's1', waitForGo('s2')))

        when:
        def run = inBackground('upgrade')
        awaitStarted('s2')

        then: 'while step 2 runs, the server already has step 1 recorded, and the lock names step 2'
        def state = ServerProbe.store(ns).read()
        state.heads() == ['s1']
        ServerProbe.store(ns).appliedRecords()*.revision() == ['s1']
        state.lock().step().startsWith('upgrade s2 ')

        when:
        go('s2')

        then:
        run.get(60, TimeUnit.SECONDS).code == 0
        ServerProbe.store(ns).read().heads() == ['s2']
        ServerProbe.markerCount(ns, 's1') == 1
    }

    def "a step that sent nothing is recorded within a second or so, whatever the next step does"() {
        given:
        Scripts.write(versions, '0001_q1.groovy', StepCommitsSpec.quiet('q1', null))
        Scripts.write(versions, '0002_s2.groovy', Scripts.marking('s2', 'q1', waitForGo('s2')))

        when:
        def run = inBackground('upgrade')
        awaitStarted('s2')
        long until = System.currentTimeMillis() + 10_000
        while (ServerProbe.store(ns).read().heads() != ['q1'] && System.currentTimeMillis() < until) {
            Thread.sleep(100)
        }

        then: 'q1 is committed by the timer while s2 still runs'
        ServerProbe.store(ns).read().heads() == ['q1']
        !run.done

        when:
        go('s2')

        then:
        run.get(60, TimeUnit.SECONDS).code == 0
        ServerProbe.store(ns).read().heads() == ['s2']
    }

    def "a step longer than the lock's time to live keeps the lock: a second run is refused, and nothing runs twice"() {
        given: 'one step that takes about three times the lock time to live, sending nothing meanwhile'
        Scripts.write(versions, '0001_long.groovy', Scripts.marking('long', null,
                "Thread.sleep(6_000)\n    mark('upgrade')"))

        when:
        def first = inBackground('upgrade', '--lock-ttl', '2')
        long until = System.currentTimeMillis() + 60_000
        while (ServerProbe.store(ns).read().lock() == null && System.currentTimeMillis() < until) {
            Thread.sleep(100)
        }
        Thread.sleep(3_500)
        def second = Cli.on(ns, versions, 'upgrade', '--lock-ttl', '2')

        then: 'well past the first lock time to live, the lock is still held (renewed) and names the step'
        second.code == 5
        second.err.contains('is locked by')
        second.err.contains('0001_long.groovy')

        and:
        first.get(60, TimeUnit.SECONDS).code == 0
        ServerProbe.markerCount(ns, 'long') == 1
        ServerProbe.store(ns).read().lock() == null
    }

    def "a run whose lock was taken from it stops sending at once, and says so truthfully (exit 5)"() {
        given: 'a step that writes a marker every 100 ms until it is refused'
        Scripts.write(versions, '0001_writer.groovy', Scripts.marking('writer', null, """
    long until = System.currentTimeMillis() + 30_000
    while (System.currentTimeMillis() < until) {
        mark('tick')
        Thread.sleep(100)
    }"""))

        when: 'while it runs, someone clears its lock: its next renewal finds the state changed'
        def run = inBackground('upgrade', '--lock-ttl', '2')
        long until = System.currentTimeMillis() + 60_000
        while (ServerProbe.markerCount(ns, 'writer', 'tick') < 3 && System.currentTimeMillis() < until) {
            Thread.sleep(100)
        }
        assert Cli.on(ns, versions, 'unlock').code == 0
        def result = run.get(60, TimeUnit.SECONDS)
        int ticksWhenDone = ServerProbe.markerCount(ns, 'writer', 'tick')
        Thread.sleep(1_000)

        then:
        result.code == 5
        result.err.contains('0001_writer.groovy: this run was stopped during the step, because another run changed the migration state')
        result.err.contains('it sent nothing more from then on')
        result.err.contains('the head stays at base')
        result.err.contains('what it wrote before it was stopped stays')
        !result.err.contains('nothing of this run')

        and: 'not one request more once the run ended'
        ServerProbe.markerCount(ns, 'writer', 'tick') == ticksWhenDone
        ServerProbe.store(ns).read().heads() == []
    }

    def "a lapsed lock is taken over, naming whose it was and the step it was running"() {
        given:
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        def store = ServerProbe.store(ns)
        def dead = new LockInfo('bob@elsewhere pid 1 deadbeef', 'upgrade a (0001_a.groovy)', Instant.now().plusSeconds(1))
        store.acquireLock(dead)
        Thread.sleep(1_500)

        when:
        def log = new LogCapture()
        def result
        try {
            result = Cli.on(ns, versions, 'upgrade')
        } finally {
            log.close()
        }

        then:
        result.code == 0
        log.text().contains('took over the lapsed lock of bob@elsewhere pid 1 deadbeef (it was running upgrade a (0001_a.groovy)')
        ServerProbe.markerCount(ns, 'a') == 1
        ServerProbe.store(ns).read().lock() == null
    }

    def "a step that runs past --step-timeout is stopped: exit 1, the lock released, nothing of it recorded"() {
        given: 'a step that would ask the server something forever'
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        Scripts.write(versions, '0002_forever.groovy', Scripts.marking('forever', 'a', """
    while (true) {
        mark('tick')
        Thread.sleep(100)
    }"""))

        when:
        long started = System.nanoTime()
        def result = Cli.on(ns, versions, 'upgrade', '--step-timeout', '2s')
        int ticksWhenDone = ServerProbe.markerCount(ns, 'forever', 'tick')
        Thread.sleep(1_000)

        then:
        result.code == 1
        result.err.contains('0002_forever.groovy: this run was stopped during the step, because it ran longer than the step timeout (2 s)')
        result.err.contains('the head stays at a')
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 60
        ServerProbe.store(ns).read().heads() == ['a']
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.markerCount(ns, 'forever', 'tick') == ticksWhenDone

        and: 'without the limit the first step is not run again'
        ServerProbe.markerCount(ns, 'a') == 1
    }

    def "the step timeout can come from the settings file (stepTimeout)"() {
        given:
        Scripts.write(versions, '0001_slow.groovy', Scripts.marking('slow', null, 'while (true) { Thread.sleep(100) }'))
        def config = signals.resolve('fhirmig.properties')
        Files.writeString(config, 'stepTimeout=1s\n')

        when:
        def result = Cli.on(ns, versions, 'upgrade', '--config', config.toString())

        then:
        result.code == 1
        result.err.contains('because it ran longer than the step timeout (1 s)')
        ServerProbe.store(ns).read().lock() == null
    }

    def "a script's request that meets a server gone away is exit 4 in one line, not a migration failure"() {
        given: 'every read of a Patient is reset by the network, retries included'
        def proxy = new FaultProxy(TestServer.baseUrl())
        proxy.rule(match: { it.path().contains('/Patient/') }, times: -1, fault: FaultProxy.reset())
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        Scripts.write(versions, '0002_reads.groovy', Scripts.marking('reads', 'a',
                "fhir.read().resource(Patient).withId('lease-nobody').execute()"))

        when:
        def result = Cli.run('upgrade', '--url', proxy.baseUrl(), '--versions', versions.toString(), '--namespace', ns)

        then:
        result.code == 4
        result.err.readLines().size() == 1
        result.err.startsWith('error: 0002_reads.groovy: cannot reach the FHIR server at ' + proxy.baseUrl())
        result.err.contains('the head stays at a')
        ServerProbe.store(ns).read().heads() == ['a']
        ServerProbe.store(ns).read().lock() == null

        cleanup:
        proxy?.close()
    }

    def "a bad --step-timeout is a usage error naming it"() {
        given:
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))

        when:
        def result = Cli.on(ns, versions, 'upgrade', '--step-timeout', 'soon')

        then:
        result.code == 2
        result.err.contains("stepTimeout (--step-timeout, FHIRMIG_STEP_TIMEOUT, stepTimeout=) is 'soon', which is not a duration")
        ServerProbe.markers(ns).isEmpty()
    }

    def "a script that would end the process is refused when it loads, naming the file and line: #call"() {
        given:
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        def text = Scripts.marking('b', 'a', "if (migration.parameters.x == 'y') { ${call} }")
        Scripts.write(versions, '0002_b.groovy', text)

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 3
        result.err.contains("0002_b.groovy:${Scripts.lineOf(text, call)}: calls ${named}, which would end fhirmig")
        ServerProbe.markers(ns).isEmpty()

        where:
        call                              | named
        'System.exit(0)'                  | 'System.exit'
        'java.lang.System.exit(0)'        | 'System.exit'
        'Runtime.getRuntime().halt(0)'    | 'Runtime.halt'
        'Runtime.runtime.exit(0)'         | 'Runtime.exit'
    }
}
