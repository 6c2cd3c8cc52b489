package io.fhirmig.cli

import io.fhirmig.TestServer
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.zip.ZipFile
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * What a command's start costs, checked on the built jar as the launcher runs it:
 * <ul>
 * <li>the libraries as the launcher's start-up archive needs them: the JVM cannot put a class older
 * than Java 6 into a class-data-sharing archive, and the build upgrades the classes of picocli
 * (which every command starts with) and of Groovy's own ASM
 * ({@code src/build/groovy/UpgradeClassFiles.groovy});
 * <li>Log4j's configuration is read only by a command that writes a log line ({@link LazyLoggerContext}).
 * </ul>
 */
class StartupIT extends Specification {

    static final long TIMEOUT_SECONDS = 120
    static final int JAVA_6 = 50

    @Shared
    Path jar = Path.of(System.getProperty('fhirmig.jar', 'target/fhirmig.jar')).toAbsolutePath()

    @Shared
    Path lib = jar.parent.resolve('lib')

    @TempDir
    Path work

    List<Path> upgradedJars() {
        Files.list(lib).withCloseable { files ->
            files.filter { it.fileName.toString() ==~ /(picocli|groovy)-\d.*\.jar/ }.sorted().toList()
        }
    }

    /** The names of the classes in a jar outside META-INF, each with its class-file version. */
    Map<String, Integer> classVersions(Path jar) {
        new ZipFile(jar.toFile()).withCloseable { zip ->
            zip.entries().toList()
                    .findAll { it.name.endsWith('.class') && !it.name.startsWith('META-INF/') }
                    .collectEntries { entry ->
                        byte[] head = zip.getInputStream(entry).withCloseable { it.readNBytes(8) }
                        [(entry.name - '.class').replace('/', '.'), ((head[6] & 0xff) << 8) | (head[7] & 0xff)]
                    }
        }
    }

    Map java(List<String> args) {
        def command = [Path.of(System.getProperty('java.home'), 'bin', 'java').toString()] + args
        def output = work.resolve("java-${System.nanoTime()}.txt")
        def process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start()
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw new AssertionError("${command} did not finish in ${TIMEOUT_SECONDS} s")
        }
        [code: process.exitValue(), out: Files.readString(output)]
    }

    /** A project with one migration, for commands that need no server. */
    Path project() {
        def versions = Files.createDirectories(work.resolve('project/versions'))
        Files.writeString(versions.resolve('0001_a.groovy'),
                "revision = 'a'\ndownRevision = null\n\nvoid upgrade() {}\nvoid downgrade() {}\n")
        versions.parent
    }

    def "picocli's and Groovy's jars hold no class older than Java 6, and every upgraded class passes the verifier"() {
        given:
        def jars = upgradedJars()
        def versions = jars.collectEntries { [(it.fileName.toString()): classVersions(it)] }

        expect: 'both jars are there, each with the classes it had'
        jars*.fileName*.toString().collect { it.replaceAll(/-\d.*/, '') } == ['groovy', 'picocli']
        versions.every { name, classes -> classes.size() > 200 }

        and:
        versions.collectMany { name, classes -> classes.findAll { it.value < JAVA_6 }.collect { "${name}: ${it.key}" } } == []

        when: "each class is linked, which runs the verifier on its stack-map frames (Groovy's own classes are Java 8 from the start)"
        def loader = new URLClassLoader(Files.list(lib).withCloseable { it.toList() }*.toUri()*.toURL() as URL[],
                ClassLoader.platformClassLoader)
        def refused = []
        int linked = 0
        versions.each { name, classes ->
            classes.keySet().findAll { name.startsWith('picocli') || it.startsWith('groovyjarjar') }.each { className ->
                try {
                    Class.forName(className, true, loader)
                    linked++
                } catch (VerifyError | ClassFormatError e) {
                    refused << "${className}: ${e}"
                } catch (LinkageError | RuntimeException ignored) {
                    // A class that needs a library fhirmig does not ship was verified before this.
                }
            }
        }
        loader.close()

        then:
        refused == []
        linked > 500
    }

    def "a start with an archive reads none of picocli's classes from its jar"() {
        given: 'an archive written by a first start'
        def archive = work.resolve('start.jsa')
        def training = java(['-XX:ArchiveClassesAtExit=' + archive, '-Xlog:cds=off', '-Xlog:cds+dynamic=off',
                             '-jar', jar.toString(), '--help'])
        assert training.code == 0
        assert Files.exists(archive)

        when:
        def run = java(['-XX:SharedArchiveFile=' + archive, '-Xlog:class+load=info', '-Xlog:cds=off',
                        '-Xlog:cds+dynamic=off', '-jar', jar.toString(), '--help'])
        def picocli = run.out.readLines().findAll { it.contains(' picocli.') }

        then: "--help builds every command's model (--version alone needs no picocli)"
        run.code == 0
        run.out.contains('Usage: fhirmig')
        picocli.size() > 100
        picocli.findAll { !it.contains('source: shared objects file') } == []
    }

    def "a command that writes no log line never reads the logging configuration; one that does writes it"() {
        given:
        def project = project()
        def command = { List<String> args ->
            def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
            def process = new ProcessBuilder([java, '-Xlog:class+load=info:file=' + work.resolve('classes.txt'),
                                              '-jar', jar.toString()] + args)
                    .directory(project.toFile()).redirectErrorStream(true).start()
            def out = process.inputStream.text
            assert process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            [code: process.exitValue(), out: out,
             configurationRead: Files.readString(work.resolve('classes.txt')).contains(' org.apache.logging.log4j.core.config.properties.PropertiesConfiguration ')]
        }

        when: 'an offline check: its result goes to standard output'
        def check = command(['check', '--offline'])

        then:
        check.code == 0
        check.out.contains('1 migration(s)')
        !check.configurationRead

        when: 'the same with a damaged cache and -v: reading the migrations writes a debug line'
        Files.writeString(project.resolve('.fhirmig/cache/headers.bin'), 'not a cache')
        def verbose = command(['check', '--offline', '-v'])

        then:
        verbose.code == 0
        verbose.out.contains('debug: cache file')
        verbose.out.contains('is not a fhirmig cache file; ignoring it')
        verbose.configurationRead
    }

    def "Log4j is configured from fhirmig's log4j2.properties without Log4j's search for a configuration; a file named with log4j2.configurationFile is still the one used"() {
        given: 'a project whose cache is damaged, so that check -v writes a debug line'
        def project = project()
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def command = { List<String> options, Map<String, String> environment = [:] ->
            def classes = work.resolve("classes-${System.nanoTime()}.txt")
            def builder = new ProcessBuilder([java, '-Xlog:class+load=info:file=' + classes] + options
                    + ['-jar', jar.toString(), 'check', '--offline', '-v'])
                    .directory(project.toFile()).redirectErrorStream(true)
            builder.environment().putAll(environment)
            def process = builder.start()
            def out = process.inputStream.text
            assert process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            def loaded = Files.readString(classes)
            [code: process.exitValue(), out: out,
             propertiesRead: loaded.contains(' org.apache.logging.log4j.core.config.properties.PropertiesConfiguration '),
             objectMapperLoaded: loaded.contains(' com.fasterxml.jackson.databind.ObjectMapper ')]
        }
        assert command([]).code == 0
        Files.writeString(project.resolve('.fhirmig/cache/headers.bin'), 'not a cache')

        when:
        def own = command([])

        then: "the line as fhirmig's configuration words it"
        own.code == 0
        own.out.contains('debug: cache file')
        own.propertiesRead

        and: "Log4j's other configuration factories were not made (the YAML one loads Jackson's ObjectMapper to see whether it could work)"
        !own.objectMapperLoaded

        when: 'a configuration of its own is named'
        Files.writeString(project.resolve('.fhirmig/cache/headers.bin'), 'not a cache')
        def custom = work.resolve('custom-log4j2.properties')
        Files.writeString(custom, '''\
            appender.console.type = Console
            appender.console.name = console
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = CUSTOM %level %msg%n
            rootLogger.level = DEBUG
            rootLogger.appenderRef.console.ref = console
            '''.stripIndent())
        def named = command(['-Dlog4j2.configurationFile=' + custom])

        then:
        named.code == 0
        named.out.contains('CUSTOM DEBUG cache file')
        !named.out.contains('debug: cache file')

        when: "the same named by Log4j's environment variable"
        Files.writeString(project.resolve('.fhirmig/cache/headers.bin'), 'not a cache')
        def byEnvironment = command([], [LOG4J_CONFIGURATION_FILE: custom.toString()])

        then:
        byEnvironment.code == 0
        byEnvironment.out.contains('CUSTOM DEBUG cache file')
    }

    def "a command against a server goes through the SLF4J binding without starting Log4j's LogManager or status logger, and SLF4J says nothing"() {
        given: 'a project whose migration is applied'
        def project = project()
        def url = ['--url', TestServer.baseUrl(), '--namespace', 'startup-it-slf4j']
        def run = { List<String> args ->
            def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
            def process = new ProcessBuilder([java, '-Xlog:class+init=info', '-jar', jar.toString()] + url + args)
                    .directory(project.toFile()).redirectErrorStream(true).start()
            def out = process.inputStream.text
            assert process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            [code: process.exitValue(), out: out,
             logManagerStarted: out.contains("Initializing 'org/apache/logging/log4j/util/ProviderUtil'")]
        }
        assert run(['upgrade']).code == 0

        when: "current opens an HTTP connection, whose commons-logging goes to SLF4J"
        def current = run(['current'])

        then:
        current.code == 0
        current.out.contains('a (head)')
        current.out.contains("Initializing 'io/fhirmig/startup/LazySlf4jProvider'")
        !current.logManagerStarted
        !current.out.contains("Initializing 'org/apache/logging/log4j/status/StatusLogger'")
        !current.out.contains('SLF4J(')

        when: 'a command that writes log lines (upgrade writes one per step; -v adds the debug ones)'
        def downgrade = run(['-v', 'downgrade', 'base'])

        then: "writes them through Log4j's own context"
        downgrade.code == 0
        downgrade.out.contains("Initializing 'org/apache/logging/log4j/core/LoggerContext'")
        !downgrade.out.contains('SLF4J(')
    }
}
