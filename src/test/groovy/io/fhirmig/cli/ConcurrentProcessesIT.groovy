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
 * The built jar, run as a user runs it: two processes started at the same moment against one server
 * must run each migration's upgrade() exactly once, one applying and the other waiting (--lock-wait)
 * or exiting 5 naming the lock's owner; a process killed in the middle of a step leaves a lock that
 * names it and the step, until `unlock` clears it.
 */
class ConcurrentProcessesIT extends Specification {

    static final String JAR = System.getProperty('fhirmig.jar')
    static final List<String> REVISIONS = ['x1', 'x2', 'x3']

    @TempDir
    Path versions

    @TempDir
    Path work

    String ns = ServerProbe.unique('processes')

    def setup() {
        assert JAR != null && Files.isRegularFile(Path.of(JAR)): "the built jar (system property fhirmig.jar): ${JAR}"
        // Each upgrade() leaves a marker, then takes long enough that the two runs overlap; with -p hang=yes
        // the second one announces that it started and hangs, to be killed.
        Scripts.chain(versions, REVISIONS, '''mark('upgrade')
    if (migration.parameters.hang == 'yes' && migration.revision == 'x2') {
        mark('started')
        Thread.sleep(120_000)
    }
    Thread.sleep(1000)''')
    }

    /** A fhirmig process of the built jar; its output goes to files under the work folder. */
    static final class Run {
        Process process
        Path out
        Path err

        int exitCode() {
            assert process.waitFor(180, TimeUnit.SECONDS): "fhirmig did not finish: ${Files.readString(err)}"
            process.exitValue()
        }

        String out() { Files.readString(out) }

        String err() { Files.readString(err) }

        @Override
        String toString() {
            "pid ${process.pid()} exit ${process.alive ? 'running' : process.exitValue()}\n--- out ---\n${out()}--- err ---\n${err()}"
        }
    }

    ProcessBuilder fhirmig(String name, String... args) {
        String java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        List<String> command = [java, '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC',
                                "-Dfhirmig.audit.file=${System.getProperty('fhirmig.audit.file', work.resolve('audit.log').toString())}".toString(),
                                '-jar', JAR, 'upgrade', '--url', TestServer.baseUrl(), '--versions', versions.toString(),
                                '--namespace', ns, *args]
        new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve("${name}.out").toFile())
                .redirectError(work.resolve("${name}.err").toFile())
    }

    /** Starts the processes back to back, as close to the same moment as two processes can be. */
    List<Run> startTogether(ProcessBuilder... builders) {
        builders.collect { it.start() }.withIndex().collect { Process process, int i ->
            new Run(process: process, out: builders[i].redirectOutput().file().toPath(),
                    err: builders[i].redirectError().file().toPath())
        }
    }

    List<String> lockOwnersInHistory() {
        ServerProbe.historyJson('Basic', ServerProbe.stateJson(ns)[0].id as String)
                .collectMany { version -> version.extension.findAll { it.url == 'urn:fhirmig:lock' } }
                .collect { lock -> lock.extension.find { it.url == 'owner' }.valueString }
                .unique()
    }

    def "two processes at once without waiting: each upgrade() runs once; one applies, the other exits 5 naming the owner"() {
        when:
        def runs = startTogether(fhirmig('a'), fhirmig('b'))
        def codes = runs*.exitCode()

        then:
        ServerProbe.markers(ns) == ['x1:upgrade', 'x2:upgrade', 'x3:upgrade']

        and:
        codes.sort(false) == [0, 5]
        def winner = runs[codes.indexOf(0)]
        def loser = runs[codes.indexOf(5)]
        winner.out().contains('upgraded 3 migration(s)')

        and: 'the owner named is the winning process, the only one that ever held the lock'
        def named = loser.err() =~ /is locked by (\S+@\S+ pid (\d+) \S+) \(running /
        named.find()
        named.group(2) as long == winner.process.pid()
        lockOwnersInHistory() == [named.group(1)]

        and:
        ServerProbe.store(ns).read().heads() == ['x3']
        ServerProbe.store(ns).read().lock() == null
    }

    def "two processes at once with --lock-wait: both exit 0, each upgrade() runs once, the second finds nothing to do"() {
        when:
        def runs = startTogether(fhirmig('a', '--lock-wait', '60'), fhirmig('b', '--lock-wait', '60'))
        def codes = runs*.exitCode()

        then:
        codes == [0, 0]
        ServerProbe.markers(ns) == ['x1:upgrade', 'x2:upgrade', 'x3:upgrade']
        runs.count { it.out().contains('upgraded 3 migration(s)') } == 1
        runs.count { it.out().isEmpty() } == 1
        ServerProbe.store(ns).read().heads() == ['x3']
        ServerProbe.store(ns).read().lock() == null
    }

    def "a process killed in the middle of a step leaves a lock naming it and the step; the next run on this host takes it over at once, saying so"() {
        given: 'a run killed while its second migration runs'
        def run = startTogether(fhirmig('killed', '-p', 'hang=yes'))[0]
        long deadline = System.currentTimeMillis() + 120_000
        while (!ServerProbe.markers(ns).contains('x2:started')) {
            assert run.process.alive: "fhirmig ended before it was killed: ${run}"
            assert System.currentTimeMillis() < deadline: "the second migration did not start: ${run}"
            Thread.sleep(200)
        }
        run.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)

        when:
        def current = Cli.on(ns, versions, 'current')

        then: 'the lock names the dead process and the step it was running'
        current.code == 0
        current.out =~ /locked by \S+@\S+ pid ${run.process.pid()} \S+ \(upgrade x2 \(0002_x2\.groovy\), lapses at /
        ServerProbe.store(ns).read().heads() == ['x1']

        when: 'the next run, a process on the same host, where that pid is gone'
        def upgrade = startTogether(fhirmig('next'))[0]

        then: 'it takes the lock over without waiting for it to lapse, and says whose it was'
        upgrade.exitCode() == 0
        upgrade.err() =~ /took over the lock of \S+@\S+ pid ${run.process.pid()} /
        ServerProbe.store(ns).read().heads() == ['x3']
        // The killed run's second migration had started (and was not transactional); this run ran it again.
        ServerProbe.markers(ns) == ['x1:upgrade', 'x2:started', 'x2:upgrade', 'x2:upgrade', 'x3:upgrade']
    }
}
