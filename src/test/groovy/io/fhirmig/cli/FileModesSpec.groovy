package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.fhir.embedded.EmbeddedFhirServer
import io.fhirmig.fhir.embedded.EmbeddedServerOptions
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import org.hl7.fhir.r4.model.Patient
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Under the usual umask (022), what fhirmig writes under .fhirmig/ is the user's alone: the embedded
 * server's folders 0700 and its database files 0600, the owner file, the audit log; and init keeps
 * .fhirmig/ out of git.
 */
class FileModesSpec extends Specification {

    static final Path AUDIT_FILE = Path.of(System.getProperty('fhirmig.audit.file', '.fhirmig/audit.log'))

    @TempDir Path project

    static String mode(Path path) {
        PosixFilePermissions.toString(Files.getPosixFilePermissions(path))
    }

    def "the umask of this test is 022, as on most machines"() {
        expect:
        ['sh', '-c', 'umask'].execute().text.trim() == '0022'
    }

    def "the embedded server's folders are 0700 and its files 0600, .fhirmig/ included"() {
        given:
        Path data = project.resolve('.fhirmig/server')

        when:
        def server = EmbeddedFhirServer.start(new EmbeddedServerOptions(data, 0))
        def whileRunning = Files.list(data).withCloseable { it.toList() }.collectEntries { [(it.fileName.toString()): mode(it)] }
        def client = server.fhirContext().newRestfulGenericClient(server.baseUrl())
        client.create().resource(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily('Private'))).execute()
        server.close()
        def files = Files.walk(project.resolve('.fhirmig')).withCloseable { it.toList() }

        then:
        mode(project.resolve('.fhirmig')) == 'rwx------'
        mode(data) == 'rwx------'
        whileRunning['owner.txt'] == 'rw-------'
        whileRunning.keySet().any { it.endsWith('.mv.db') }
        whileRunning.values().every { it == 'rw-------' || it == 'rwx------' }
        files.findAll { Files.isRegularFile(it) }.every { mode(it) == 'rw-------' }
        files.findAll { Files.isDirectory(it) }.every { mode(it) == 'rwx------' }
    }

    def "a .fhirmig/ folder made before, 0755, is made 0700 when the server starts"() {
        given:
        Path data = Files.createDirectories(project.resolve('.fhirmig/server'))
        Files.setPosixFilePermissions(project.resolve('.fhirmig'), PosixFilePermissions.fromString('rwxr-xr-x'))
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString('rwxr-xr-x'))

        when:
        EmbeddedFhirServer.start(new EmbeddedServerOptions(data, 0)).close()

        then:
        mode(project.resolve('.fhirmig')) == 'rwx------'
        mode(data) == 'rwx------'
    }

    def "the audit log is 0600"() {
        given:
        Path versions = Files.createDirectories(project.resolve('versions'))
        Scripts.chain(versions, ['a1'])

        when:
        def run = Cli.on(ServerProbe.unique('modes'), versions, 'upgrade')

        then:
        run.code == 0
        Files.exists(AUDIT_FILE)
        mode(AUDIT_FILE) == 'rw-------'
    }

    def "upgrade with a group-writable FHIRMIG_CACHE works, warns once naming the folder, and writes nothing there"() {
        given:
        Path versions = Files.createDirectories(project.resolve('versions'))
        Scripts.chain(versions, ['g1', 'g2'])
        Path cache = Files.createDirectories(project.resolve('shared-cache'))
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString('rwxrwxrwx'))

        when:
        def log = new io.fhirmig.secure.LogCapture()
        def run = EnvCli.run([FHIRMIG_CACHE: cache.toString()], ['upgrade', '--url', TestServer.baseUrl(),
                '--versions', versions, '--namespace', ServerProbe.unique('modes')])
        log.close()

        then:
        run.code == 0
        log.text().count('not using the script cache') == 1
        log.text().contains("not using the script cache: ${cache} can be written by other users")
        Files.list(cache).withCloseable { it.count() } == 0
    }

    def "init writes .fhirmig/ into .gitignore"() {
        when:
        def run = CliRun.of(['init', project])

        then:
        run.code == 0
        run.out.contains("created ${project.resolve('.gitignore')}")
        Files.readAllLines(project.resolve('.gitignore')).contains('.fhirmig/')
    }
}
