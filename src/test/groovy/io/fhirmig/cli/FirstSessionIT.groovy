package io.fhirmig.cli

import io.fhirmig.TestServer
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.hl7.fhir.r4.model.Patient
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A new user's first session, run as a user would: the built jar ({@code java -jar fhirmig.jar},
 * the path given by failsafe as {@code fhirmig.jar}) in a fresh folder, against the shared test
 * server through {@code --url}, in a namespace of its own.
 */
class FirstSessionIT extends Specification {

    static final long TIMEOUT_SECONDS = 180

    @Shared
    Path jar = Path.of(System.getProperty('fhirmig.jar', 'target/fhirmig.jar')).toAbsolutePath()

    @TempDir
    Path project

    String namespace = 'first-session-' + UUID.randomUUID().toString().substring(0, 8)

    String patientId = namespace + '-patient'

    /** One fhirmig process in the project folder; the environment's fhirmig settings are left out. */
    Map fhirmig(List<?> args, Map<String, String> environment = [:]) {
        def command = [Path.of(System.getProperty('java.home'), 'bin', 'java').toString(), '-jar', jar.toString()] +
                args*.toString()
        def builder = new ProcessBuilder(command).directory(project.toFile())
        builder.environment().keySet().removeIf { it.startsWith('FHIRMIG_') || it in ['FHIR_URL', 'MIGRATION_SCRIPTS_DIR'] }
        builder.environment().putAll(environment)
        def out = Files.createTempFile('fhirmig-out', '.txt')
        def err = Files.createTempFile('fhirmig-err', '.txt')
        builder.redirectOutput(out.toFile()).redirectError(err.toFile())
        def process = builder.start()
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw new AssertionError("fhirmig ${args} did not finish in ${TIMEOUT_SECONDS} s")
        }
        def result = [code: process.exitValue(), out: Files.readString(out), err: Files.readString(err)]
        Files.delete(out)
        Files.delete(err)
        result
    }

    /** A command against the test server, as a project pointed at it would run it. */
    Map onServer(String... args) {
        fhirmig(args.toList() + ['--url', TestServer.baseUrl(), '--namespace', namespace])
    }

    Patient patient() {
        TestServer.newClient().read().resource(Patient).withId(patientId).execute()
    }

    def "init, generate, write the migration, upgrade, current, downgrade"() {
        given: 'the built jar, and a patient on the server that is not active'
        assert Files.isRegularFile(jar)
        def created = new Patient()
        created.id = patientId
        created.active = false
        created.addName().setFamily('First-Session')
        TestServer.newClient().update().resource(created).execute()

        when: 'init'
        def init = fhirmig(['init'])

        then:
        init.code == 0
        init.out.readLines().take(4) == ['created ./versions/', 'created ./templates/',
                                         'created ./templates/migration.groovy.template', 'created ./fhirmig.properties']
        Files.isDirectory(project.resolve('versions'))
        Files.isRegularFile(project.resolve('templates/migration.groovy.template'))
        Files.readString(project.resolve('fhirmig.properties')).contains('url = embedded')

        when: 'generate add_flag'
        def generate = onServer('generate', 'add_flag')

        then:
        generate.code == 0
        generate.out == 'versions/0001_add_flag.groovy\n'
        def file = project.resolve('versions/0001_add_flag.groovy')
        def generated = Files.readString(file)
        def revision = (generated =~ /(?m)^revision\s*=\s*'([0-9a-f]{12})'$/)[0][1]
        generated.contains("downRevision = null\n")
        generated.contains("description  = 'add flag'\n")
        generate.err.contains("revision ${revision}, downRevision none (the first migration)")
        Files.readString(project.resolve('.fhirmig/audit.log')).contains('"event":"generate"')

        when: 'the user writes the migration: upgrade() sets Patient.active, downgrade() unsets it'
        Files.writeString(file, generated.substring(0, generated.indexOf('void upgrade()')) + """\
void upgrade() {
    Patient patient = fhir.read().resource(Patient).withId('${patientId}').execute()
    if (!patient.active) {
        patient.active = true
        fhir.update().resource(patient).execute()
        log.info('Patient/${patientId} is active now')
    }
}

void downgrade() {
    Patient patient = fhir.read().resource(Patient).withId('${patientId}').execute()
    if (patient.active) {
        patient.active = false
        fhir.update().resource(patient).execute()
        log.info('Patient/${patientId} is inactive again')
    }
}
""")
        def upgrade = onServer('upgrade')

        then:
        upgrade.code == 0
        upgrade.out ==~ /upgraded 1 migration\(s\) in (\d+ ms|\d+\.\d{3} s|\d+ min \d\d s); head: ${revision}\n/
        upgrade.err.contains("Patient/${patientId} is active now")
        patient().active

        when: 'current'
        def current = onServer('current')

        then:
        current.code == 0
        current.out == "${revision} (head)  0001_add_flag.groovy\n"

        when: 'downgrade'
        def downgrade = onServer('downgrade')

        then:
        downgrade.code == 0
        downgrade.out ==~ /downgraded 1 migration\(s\) in (\d+ ms|\d+\.\d{3} s|\d+ min \d\d s); head: base\n/
        downgrade.err.contains("Patient/${patientId} is inactive again")
        !patient().active

        and: 'nothing is applied any more'
        with(onServer('current')) {
            code == 0
            out == 'base (nothing applied)\n1 pending; run `fhirmig upgrade`\n'
        }
    }

    def "in a process of its own, where logging starts on another thread: -q quiets, -v loses no debug line, and the folder read is the one configured"() {
        given: 'two folders of migrations: versions/ (one) and other/ (two); a script that logs'
        [versions: 1, other: 2].each { String folder, int count ->
            Files.createDirectories(project.resolve(folder))
            String parent = null
            (1..count).each { int i ->
                String revision = "${folder}${i}"
                Files.writeString(project.resolve("${folder}/000${i}_${revision}.groovy"), """\
revision = '${revision}'
downRevision = ${parent == null ? 'null' : "'" + parent + "'"}

void upgrade() { log.info('hello from ${revision}') }
void downgrade() {}
""")
                parent = revision
            }
        }

        when: 'an upgrade with -q, then one without'
        def quiet = onServer('upgrade', '-q', '--versions', 'other', '+1')
        def loud = onServer('upgrade', '--versions', 'other')

        then: "the script's info line only in the second"
        quiet.code == 0 && loud.code == 0
        !quiet.err.contains('hello from other1')
        loud.err.contains('hello from other2')

        when: 'the header cache is damaged, and current runs with -v'
        Files.writeString(project.resolve('.fhirmig/cache/headers.bin'), 'not a cache')
        def verbose = onServer('current', '-v', '--versions', 'other')

        then: 'the debug line of the thread that read the migrations is there'
        verbose.code == 0
        verbose.err.contains('is not a fhirmig cache file; ignoring it')

        when: 'current reads the default folder (in a namespace of its own), then the one FHIRMIG_VERSIONS names'
        def defaultFolder = fhirmig(['current', '--url', TestServer.baseUrl(), '--namespace', namespace + '-b'])
        def fromEnvironment = fhirmig(['current', '--url', TestServer.baseUrl(), '--namespace', namespace],
                [FHIRMIG_VERSIONS: 'other'])

        then:
        defaultFolder.out == 'base (nothing applied)\n1 pending; run `fhirmig upgrade`\n'
        fromEnvironment.out == 'other2 (head)  0002_other2.groovy\n'
    }
}
