package io.fhirmig.fhir.background

import io.fhirmig.api.FhirmigException
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit
import spock.lang.Specification
import spock.lang.TempDir

/**
 * What a command finds in a data folder before it uses or starts the background server, without a
 * server: nothing, a stale server file, a process that does not answer, a folder it cannot write.
 * The servers themselves are in BackgroundServerIT.
 */
class ProjectServerSpec extends Specification {

    @TempDir
    Path dir

    Process stranger

    def cleanup() {
        stranger?.destroyForcibly()
    }

    private void serverFile(Path data, long pid, String url) {
        Files.createDirectories(data)
        Files.writeString(data.resolve('server.properties'), "pid=$pid\nprocessStart=0\nurl=$url\nbackground=true\n")
    }

    def "a folder without a server: nothing found, nothing to stop"() {
        given:
        def project = new ProjectServer(dir.resolve('.fhirmig/server'))

        expect:
        project.find().empty
        project.stop().empty
        !Files.exists(dir.resolve('.fhirmig'))
    }

    def "a server file left by a killed server (its pid gone) names no server"() {
        given: 'the pid of a process that has ended'
        def ended = new ProcessBuilder('true').start()
        ended.waitFor(10, TimeUnit.SECONDS)
        Path data = dir.resolve('server')
        serverFile(data, ended.pid(), 'http://127.0.0.1:9/fhir')

        expect:
        new ProjectServer(data).find().empty
        new ProjectServer(data).stop().empty
    }

    def "a live process that does not answer as the server is stopped, not used"() {
        given: 'a server file naming a process that listens on nothing'
        stranger = new ProcessBuilder('sleep', '300').start()
        Path data = dir.resolve('server')
        serverFile(data, stranger.pid(), 'http://127.0.0.1:9/fhir')

        when:
        def found = new ProjectServer(data).find()
        def stopped = new ProjectServer(data).stop()

        then:
        found.empty
        stopped.get().pid() == stranger.pid()
        stranger.waitFor(10, TimeUnit.SECONDS)
    }

    def "a data folder that cannot be written is a clear error at once, not a wait"() {
        given: 'a file where a folder should be: even root cannot create a folder under it'
        Path blocker = Files.writeString(dir.resolve('.fhirmig'), 'not a folder')
        long start = System.nanoTime()

        when:
        new ProjectServer(blocker.resolve('server')).connect(Duration.ofMinutes(30))

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.SERVER
        e.message == "cannot write the embedded server's data folder ${blocker.resolve('server')}: use a writable data folder, or an in-memory embedded server"
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)
    }
}
