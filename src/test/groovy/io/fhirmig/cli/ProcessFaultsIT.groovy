package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The built jar, run as a user runs it, ended in the ways processes end: kill -9 between two steps,
 * SIGTERM in the middle of a step, a script's System.exit, a pause (SIGSTOP) past the lock's time to
 * live, an endless loop. After each, nothing was applied twice, the lock is not left behind by a run
 * that could clean up, and the exit code is honest.
 */
class ProcessFaultsIT extends Specification {

    static final String JAR = System.getProperty('fhirmig.jar')

    @TempDir
    Path versions

    @TempDir
    Path work

    String ns = ServerProbe.unique('faults')

    def setup() {
        assert JAR != null && Files.isRegularFile(Path.of(JAR)): "the built jar (system property fhirmig.jar): ${JAR}"
    }

    /** A fhirmig process of the built jar, started at once; its output goes to files under the work folder. */
    Map start(String name, String... args) {
        String java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        List<String> command = [java, '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC',
                                "-Dfhirmig.audit.file=${work.resolve('audit.log')}".toString(),
                                '-jar', JAR, 'upgrade', '--url', TestServer.baseUrl(), '--versions', versions.toString(),
                                '--namespace', ns, *args]
        def out = work.resolve("${name}.out")
        def err = work.resolve("${name}.err")
        def process = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start()
        [process: process, out: out, err: err]
    }

    static int exitOf(Map run) {
        assert run.process.waitFor(180, TimeUnit.SECONDS): "fhirmig did not finish: ${Files.readString(run.err)}"
        run.process.exitValue()
    }

    /** Waits until a marker {@code revision:what} is on the server, the process still alive. */
    void awaitMarker(Map run, String revision, String what) {
        long deadline = System.currentTimeMillis() + 120_000
        while (ServerProbe.markerCount(ns, revision, what) == 0) {
            assert run.process.alive: "fhirmig ended first: ${Files.readString(run.err)}"
            assert System.currentTimeMillis() < deadline: "no ${revision}:${what} marker"
            Thread.sleep(100)
        }
    }

    static void signal(Process process, String name) {
        assert new ProcessBuilder('kill', '-' + name, process.pid() as String).start().waitFor() == 0
    }

    def "kill -9 while a step computes after one that wrote: the next run does not write again what was done"() {
        given: 'step 1 writes; step 2 computes for a minute and sends nothing'
        Scripts.write(versions, '0001_w.groovy', Scripts.marking('w', null))
        Scripts.write(versions, '0002_calc.groovy', Scripts.marking('calc', 'w', """new File('${work.resolve('calc.started')}').text = 'yes'
    Thread.sleep(60_000)
    mark('upgrade')"""))

        when:
        def run = start('killed')
        long deadline = System.currentTimeMillis() + 120_000
        while (!Files.exists(work.resolve('calc.started'))) {
            assert run.process.alive && System.currentTimeMillis() < deadline: Files.readString(run.err)
            Thread.sleep(100)
        }
        run.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)

        then: 'step 1 is recorded; the dead run lock names step 2'
        ServerProbe.store(ns).read().heads() == ['w']
        ServerProbe.store(ns).read().lock().step().startsWith('upgrade calc ')

        when: 'the lock cleared, the next run runs step 2 only'
        Files.writeString(versions.resolve('0002_calc.groovy'), Scripts.marking('calc', 'w'))
        assert Cli.on(ns, versions, 'unlock').code == 0
        // Only the text of an unapplied script changed: nothing to repair.
        def again = Cli.on(ns, versions, 'upgrade')

        then:
        again.code == 0
        ServerProbe.markers(ns) == ['calc:upgrade', 'w:upgrade']
    }

    def "SIGTERM in the middle of a step: one line, exit 143, the lock released, the next run carries on"() {
        given:
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        Scripts.write(versions, '0002_b.groovy', Scripts.marking('b', 'a', "mark('started')\n    Thread.sleep(60_000)\n    mark('upgrade')"))

        when:
        def run = start('terminated')
        awaitMarker(run, 'b', 'started')
        run.process.destroy()
        int code = exitOf(run)
        String err = Files.readString(run.err)

        then:
        code == 143
        err.contains('error: stopped by SIGTERM during upgrade b (0002_b.groovy); the lock is released and the head stays at a.')
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).read().heads() == ['a']

        when: 'no wait for a lock: the next run starts at once and runs b (without the pause this time)'
        Files.writeString(versions.resolve('0002_b.groovy'), Scripts.marking('b', 'a'))
        def next = Cli.on(ns, versions, 'upgrade')

        then:
        next.code == 0
        ServerProbe.markerCount(ns, 'a') == 1
        ServerProbe.markerCount(ns, 'b') == 1
    }

    def "a script that calls System.exit(0) at run time fails the run: exit 1, one line, the lock released"() {
        given: 'a call the loader cannot see: the class is in a variable'
        Scripts.write(versions, '0001_a.groovy', Scripts.marking('a', null))
        Scripts.write(versions, '0002_quits.groovy', Scripts.marking('quits', 'a', 'def system = System\n    system.exit(0)'))

        when:
        def run = start('quits')
        int code = exitOf(run)

        then:
        code == 1
        Files.readString(run.err).contains('error: a script called System.exit during upgrade quits (0002_quits.groovy);'
                + ' the lock is released and the head stays at a.')
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).read().heads() == ['a']
    }

    def "a run paused past its lock's time to live sends nothing when it wakes, and exits 5 saying why"() {
        given: 'a step that writes 60 markers of its own process, one every 100 ms'
        Scripts.write(versions, '0001_ticks.groovy', Scripts.marking('ticks', null, """
    for (int i = 0; i < 60; i++) {
        mark('tick-' + ProcessHandle.current().pid())
        Thread.sleep(100)
    }"""))

        when: 'paused after a few ticks, for longer than its lock lives'
        def run = start('paused', '--lock-ttl', '2')
        String mine = 'tick-' + run.process.pid()
        awaitMarker(run, 'ticks', mine)
        signal(run.process, 'STOP')
        Thread.sleep(3_500)
        int ticksWhilePaused = ServerProbe.markerCount(ns, 'ticks', mine)

        and: 'another run takes the lapsed lock over and runs the step itself'
        def other = Cli.on(ns, versions, 'upgrade', '--lock-ttl', '30')

        and: 'the paused run wakes up'
        signal(run.process, 'CONT')
        int code = exitOf(run)
        String err = Files.readString(run.err)

        then: 'not one more request of the paused run reached the server'
        other.code == 0
        code == 5
        ServerProbe.markerCount(ns, 'ticks', mine) == ticksWhilePaused
        err.contains('0001_ticks.groovy: this run was stopped during the step, because its lock lapsed')
        err.contains('it sent nothing more from then on')
        ServerProbe.store(ns).read().heads() == ['ticks']
        ServerProbe.store(ns).read().lock() == null
    }

    def "an endless loop that sends nothing is stopped by --step-timeout: exit 1, the lock released"() {
        given:
        Scripts.write(versions, '0001_spin.groovy', Scripts.marking('spin', null, 'long n = 0\n    while (true) { n++ }'))

        when:
        def run = start('spins', '--step-timeout', '3s')
        int code = exitOf(run)

        then:
        code == 1
        Files.readString(run.err).contains('0001_spin.groovy: this run was stopped during the step, because it ran longer'
                + ' than the step timeout (3 s)')
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).read().heads() == []
    }
}
