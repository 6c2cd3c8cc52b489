package io.fhirmig.cli

import io.fhirmig.TestServer
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.concurrent.TimeUnit
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.TempDir

/**
 * The launcher's start-up archive as a new user gets it: the script {@code ./fhirmig}, run from a
 * copy of the project's layout (the launcher, the built jar, its libraries), prepares the archive on
 * its first start; a command against a server then finds its classes in the archive's first layer,
 * the one that holds only what commands load on the client side.
 */
@Stepwise
class LauncherArchiveIT extends Specification {

    static final long TIMEOUT_SECONDS = 600

    @Shared
    @TempDir
    Path work

    @Shared
    Path home

    def setupSpec() {
        Path jar = Path.of(System.getProperty('fhirmig.jar', 'target/fhirmig.jar')).toAbsolutePath()
        home = Files.createDirectories(work.resolve('home'))
        Files.copy(Path.of('fhirmig'), home.resolve('fhirmig'), StandardCopyOption.COPY_ATTRIBUTES)
        Files.createDirectories(home.resolve('target'))
        Files.copy(jar, home.resolve('target/fhirmig.jar'))
        // Copies, not a link: the temporary folder's clean-up would follow a link and empty target/lib.
        def lib = Files.createDirectories(home.resolve('target/lib'))
        Files.list(jar.parent.resolve('lib')).withCloseable { jars ->
            jars.each { Files.copy(it, lib.resolve(it.fileName.toString())) }
        }
    }

    Map launch(Path dir, Map<String, String> environment = [:], List<String> args) {
        launchAs(home.resolve('fhirmig').toString(), dir, environment, args)
    }

    Map launchAs(String command, Path dir, Map<String, String> environment = [:], List<String> args) {
        def builder = new ProcessBuilder([command] + args).directory(dir.toFile())
        builder.environment().remove('FHIRMIG_URL')
        builder.environment().remove('FHIRMIG_JAVA_OPTS')
        builder.environment().remove('FHIRMIG_CDS')
        builder.environment().putAll(environment)
        def out = work.resolve("out-${System.nanoTime()}.txt")
        def err = work.resolve("err-${System.nanoTime()}.txt")
        def process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start()
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw new AssertionError("${args} did not finish in ${TIMEOUT_SECONDS} s")
        }
        [code: process.exitValue(), out: Files.readString(out), err: Files.readString(err)]
    }

    def "the first start prepares both layers of the archive, once"() {
        when:
        def first = launch(work, ['--version'])

        then:
        first.code == 0
        first.out.startsWith('fhirmig ')
        first.err.contains('preparing a start-up archive')
        !first.err.contains('could not prepare')
        ['fhirmig-client.jsa', 'fhirmig.jsa', 'fhirmig.jsa.java'].every { Files.size(home.resolve("target/$it")) > 0 }

        when: 'the next start'
        def second = launch(work, ['--version'])

        then: 'finds it ready'
        second.code == 0
        second.err == ''
    }

    def "a command against a server loads its classes from the client layer, none from jars"() {
        given: 'a project with one migration, applied'
        def project = Files.createDirectories(work.resolve('project'))
        Files.createDirectories(project.resolve('versions'))
        Files.writeString(project.resolve('versions/0001_a.groovy'),
                "revision = 'launcher-a'\ndownRevision = null\n\nvoid upgrade() {}\nvoid downgrade() {}\n")
        def url = ['--url', TestServer.baseUrl(), '--namespace', 'launcher-archive-it']
        assert launch(project, url + ['upgrade']).code == 0

        when:
        def run = launch(project, [FHIRMIG_JAVA_OPTS: '-Xlog:class+load=info'], url + ['current'])
        def loads = run.out.readLines().findAll { it.contains('[class,load]') }
        def ours = loads.findAll { it =~ / (io\.fhirmig|picocli|org\.apache\.http|org\.apache\.logging)\./ }

        then:
        run.code == 0
        run.out.contains('launcher-a (head)')
        ours.size() > 300
        ours.findAll { !it.endsWith('source: shared objects file') } == []
        loads.findAll { it.contains('source: file:') || it.contains('source: jar:') } == []
    }

    def "linked onto the PATH, the launcher finds its jar from any folder, through a chain of links"() {
        given: 'a link in a bin folder to the launcher, and a relative link to that link'
        def bin = Files.createDirectories(work.resolve('bin'))
        Files.createSymbolicLink(bin.resolve('fhirmig'), home.resolve('fhirmig'))
        def tools = Files.createDirectories(work.resolve('tools'))
        Files.createSymbolicLink(tools.resolve('fm'), Path.of('../bin/fhirmig'))
        def elsewhere = Files.createDirectories(work.resolve('elsewhere'))

        when: 'run by its name on the PATH from another folder (found by a shell on the PATH)'
        def onPath = launchAs('sh', elsewhere, [PATH: "${bin}:${System.getenv('PATH')}".toString()],
                ['-c', 'fhirmig --version'])

        then:
        onPath.code == 0
        onPath.out.startsWith('fhirmig ')
        onPath.err == ''

        when: 'through the relative link'
        def chained = launchAs(tools.resolve('fm').toString(), elsewhere, ['--version'])

        then:
        chained.code == 0
        chained.out.startsWith('fhirmig ')
        !Files.exists(elsewhere.resolve('target'))
    }
}
