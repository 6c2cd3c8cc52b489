package io.fhirmig.cli

import ca.uhn.fhir.context.FhirContext
import ca.uhn.fhir.rest.client.api.IGenericClient
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import org.hl7.fhir.r4.model.CapabilityStatement
import org.hl7.fhir.r4.model.Patient

/**
 * The project's background embedded server as users meet it: commands of the built jar, each a
 * process of its own, in a folder with the example migrations and no URL. Every server started here
 * is stopped in cleanup(); the idle limits are short. The server is {@code fhirmig serve}'s: this is
 * also where serve's own promises are checked (its URL on standard output, a clean stop, and writes
 * it acknowledged surviving kill -9 of its JVM).
 */
class BackgroundServerIT extends Specification {

    static final String JAR = System.getProperty('fhirmig.jar')
    static final String JAVA = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
    static final String STARTED = 'started the embedded FHIR server in the background: '

    @TempDir
    Path project

    /** Foreground servers this feature started. */
    List<Process> foreground = []

    def setup() {
        // A project (no url: the embedded server), so that no command asks whether it is meant.
        Files.writeString(project.resolve('fhirmig.properties'), 'namespace = default\n')
        Files.createDirectories(project.resolve('versions'))
        Files.list(Path.of('versions')).withCloseable { files ->
            files.filter { it.fileName.toString().endsWith('.groovy') }.forEach {
                Files.copy(it, project.resolve('versions').resolve(it.fileName))
            }
        }
    }

    def cleanup() {
        foreground.each { it.destroy(); it.waitFor(60, TimeUnit.SECONDS) || it.destroyForcibly() }
        // Every background server of this folder: its command line names the folder (--data-dir).
        ProcessHandle.allProcesses().filter { process ->
            process.info().arguments().map { it.any { arg -> arg.contains(project.toString()) } }.orElse(false)
        }.forEach { server ->
            server.destroy()
            try {
                server.onExit().get(60, TimeUnit.SECONDS)
            } catch (Exception ignored) {
                server.destroyForcibly()
            }
        }
    }

    Path data() {
        project.resolve('.fhirmig/server')
    }

    /** The pid in the folder's server file, if there is one. */
    Optional<Long> serverPid() {
        Path file = data().resolve('server.properties')
        if (!Files.exists(file)) {
            return Optional.empty()
        }
        def properties = new Properties()
        properties.load(new StringReader(Files.readString(file)))
        Optional.of(properties.getProperty('pid') as long)
    }

    /** A fhirmig command in the project, as the launcher runs it, with only the given fhirmig settings. */
    ProcessBuilder command(Map<String, String> environment, List<String> args) {
        def builder = new ProcessBuilder([JAVA, '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', JAR] + args)
                .directory(project.toFile())
        builder.environment().keySet().removeIf { it.startsWith('FHIRMIG_') || it in ['FHIR_URL', 'MIGRATION_SCRIPTS_DIR'] }
        builder.environment().putAll(environment)
        String name = "cmd-${System.nanoTime()}"
        builder.redirectOutput(project.resolve("${name}.out").toFile()).redirectError(project.resolve("${name}.err").toFile())
    }

    Map finished(ProcessBuilder builder, Process process) {
        assert process.waitFor(300, TimeUnit.SECONDS): "${builder.command()} did not finish in 5 minutes"
        [code: process.exitValue(), out: builder.redirectOutput().file().text, err: builder.redirectError().file().text]
    }

    Map fhirmig(Map<String, String> environment = [:], String... args) {
        def builder = command(environment, args as List)
        finished(builder, builder.start())
    }

    /** Whether an embedded server answers on this loopback port. */
    static boolean answers(int port) {
        try {
            def connection = new URL("http://127.0.0.1:$port/fhir/metadata").openConnection() as HttpURLConnection
            connection.connectTimeout = 1000
            return connection.responseCode == 200
        } catch (IOException ignored) {
            return false
        }
    }

    static int freePort() {
        new ServerSocket(0).withCloseable { it.localPort }
    }

    static IGenericClient client(String url) {
        def fhir = FhirContext.forR4Cached()
        fhir.restfulClientFactory.serverValidationMode = ServerValidationModeEnum.NEVER
        fhir.newRestfulGenericClient(url)
    }

    static String urlIn(String notice) {
        notice.find(/http:\/\/127\.0\.0\.1:\d+\/fhir/)
    }

    static long pidIn(String notice) {
        (notice =~ /\(pid (\d+)/)[0][1] as long
    }

    def "two commands at once start one server; status; kill -9 replaced with the data kept; idle stop; in-process when off"() {
        when: 'two upgrades start together in the fresh folder'
        def builders = (1..2).collect { command([FHIRMIG_EMBEDDED_IDLE: '10m'], ['upgrade', '--lock-wait', '120']) }
        def processes = builders.collect { it.start() }
        def runs = [builders, processes].transpose().collect { finished(it[0], it[1]) }
        def startedBy = runs.findAll { it.err.contains(STARTED) }

        then: 'both succeed, one started the server and the other used it'
        runs*.code == [0, 0]
        startedBy.size() == 1
        long pid = pidIn(startedBy[0].err)
        runs.every { it.err.contains("(pid ${pid},") }
        serverPid().get() == pid

        and: 'each migration was applied once'
        def history = fhirmig('history')
        history.code == 0
        history.out.readLines().findAll { it.startsWith('applied') }.size() == 4

        when:
        def status = fhirmig('serve', '--status')

        then:
        status.code == 0
        String url = status.out.find(/http:\/\/127\.0\.0\.1:\d+\/fhir/)
        answers(url.find(/\d+(?=\/fhir)/) as int)
        status.out.readLines()[0] == "running: pid ${pid}, ${url}, in the background, data in ${data().toRealPath()}"
        status.out.readLines()[1] ==~ /stops after 10m without requests: in (9m\d+s|10m0s) if none comes/

        when: 'patients are written, and the JVM is killed with -9 the moment the last answer arrives'
        // Several writes, so that the last ones land inside any delay the database keeps before writing.
        def ids = (1..5).collect { "durable-$it".toString() }
        ids.each { id ->
            def patient = new Patient(id: id)
            patient.addName().setFamily('Acknowledged')
            client(url).update().resource(patient).execute()
        }
        def killed = ProcessHandle.of(pid).get()
        killed.destroyForcibly()
        killed.onExit().get(60, TimeUnit.SECONDS)

        and: 'the next command runs with a short idle limit'
        def current = fhirmig([FHIRMIG_EMBEDDED_IDLE: '3s'], 'current')
        def found = ids.findAll { id -> client(urlIn(current.err)).read().resource(Patient).withId(id).execute()
                .nameFirstRep.family == 'Acknowledged' }

        then: 'a new server replaces it, and everything the killed one acknowledged is there'
        current.code == 0
        current.err.readLines()[0].startsWith(STARTED)
        current.err.readLines()[0].endsWith('it stops after 3s without requests, or with `fhirmig serve --stop`')
        pidIn(current.err) != pid
        current.out.contains('7b3e2f10-4c1d-4a8e-9f62-1d5c0e8a9b44 (head)')
        found == ids

        when: 'nothing asks it for 3 s'
        long replacement = pidIn(current.err)
        ProcessHandle.of(replacement).ifPresent { it.onExit().get(60, TimeUnit.SECONDS) }

        then: 'it stopped by itself, and says so in its log'
        !ProcessHandle.of(replacement).map { it.alive }.orElse(false)
        serverPid().empty
        Files.readString(data().resolve('serve.log')).contains('stops after 3s without requests')
        Files.readString(data().resolve('serve.log')).endsWith('stopped\n')
        fhirmig('serve', '--status').out == "not running: no embedded server serves ${data().toRealPath()}\n"

        when: 'embeddedIdle is off'
        def inProcess = fhirmig([FHIRMIG_EMBEDDED_IDLE: 'off'], 'current')

        then: "the command runs the server itself, and leaves nothing running"
        inProcess.code == 0
        inProcess.err.readLines()[0].startsWith('using the embedded FHIR server in this process')
        inProcess.out.contains('7b3e2f10-4c1d-4a8e-9f62-1d5c0e8a9b44 (head)')
        serverPid().empty
    }

    def "a foreground serve prints its URL, answers, is found and used; --stop stops it cleanly; with none running --stop says so"() {
        given:
        int port = freePort()
        def serveBuilder = command([:], ['serve', '--port', port as String])
        def serve = serveBuilder.start()
        foreground << serve
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3)
        while (!serverPid().present || !answers(port)) {
            assert serve.alive: serveBuilder.redirectError().file().text
            assert System.nanoTime() < deadline: 'serve did not answer within 3 minutes'
            sleep(200)
        }

        expect: 'its URL alone on standard output, and FHIR requests answered'
        serveBuilder.redirectOutput().file().text == "http://127.0.0.1:${port}/fhir\n"
        client("http://127.0.0.1:${port}/fhir").capabilities().ofType(CapabilityStatement).execute().fhirVersion != null

        when:
        def upgrade = fhirmig('upgrade')

        then: 'the command used it, starting nothing'
        upgrade.code == 0
        upgrade.err.readLines()[0] == "using the embedded FHIR server at http://127.0.0.1:${port}/fhir (pid ${serve.pid()}," +
                " data in .fhirmig/server, `fhirmig serve` in the foreground)"
        serverPid().get() == serve.pid()

        when:
        def stop = fhirmig('serve', '--stop')

        then: 'it returns once the server has ended, stopped as a service manager would (SIGTERM)'
        stop.code == 0
        stop.out == "stopped: pid ${serve.pid()}, http://127.0.0.1:${port}/fhir; its database is closed\n"
        !serve.alive
        serve.exitValue() in [0, 143]
        serverPid().empty

        when:
        def again = fhirmig('serve', '--stop')

        then:
        again.code == 0
        again.out == "not running: no embedded server serves ${data().toRealPath()}\n"
    }
}
