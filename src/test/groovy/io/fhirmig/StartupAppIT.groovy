package io.fhirmig

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.hl7.fhir.r4.model.Patient
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The sample application of examples/startup-app, built and run as an application team would: it
 * depends on the installed io.fhirmig:fhirmig artifact (the built jar and pom.xml, laid into a
 * temporary local repository exactly as {@code mvn install} lays them), is compiled by Maven, and
 * runs {@code Fhirmig...upgrade()} at start-up against the shared test server, then exits 0.
 *
 * <p>The application's build reads every other artifact from the local repository of this build,
 * served to it as a {@code file:} repository ahead of Maven Central, and leaves that repository as it
 * was. Without the optional dependencies Maven may pick other versions of a few shared libraries than
 * fhirmig's own build does (commons-csv 1.14.0); those come from Maven Central the first time, or
 * from the local repository once it has them, so the build runs offline on a primed machine.
 */
class StartupAppIT extends Specification {

    static final long TIMEOUT_SECONDS = 300

    @Shared
    Path jar = Path.of(System.getProperty('fhirmig.jar', 'target/fhirmig.jar')).toAbsolutePath()

    @Shared
    Path localRepository = Path.of(System.getProperty('fhirmig.local.repository',
            System.getProperty('user.home') + '/.m2/repository')).toAbsolutePath()

    @TempDir
    Path work

    String namespace = 'startup-app-' + UUID.randomUUID().toString().substring(0, 8)
    String patientId = namespace + '-patient'

    def cleanup() {
        try {
            TestServer.newClient().delete().resourceById('Patient', patientId).execute()
        } catch (ResourceNotFoundException | ResourceGoneException ignored) {
        }
    }

    /** The installed artifact: the built jar and the project's pom, where {@code mvn install} puts them. */
    Path install(Path repository) {
        Path dir = repository.resolve('io/fhirmig/fhirmig/0.1.0-SNAPSHOT')
        Files.createDirectories(dir)
        Files.copy(jar, dir.resolve('fhirmig-0.1.0-SNAPSHOT.jar'))
        Files.copy(Path.of('pom.xml'), dir.resolve('fhirmig-0.1.0-SNAPSHOT.pom'))
        repository
    }

    Map run(List<String> command, Path dir) {
        def builder = new ProcessBuilder(command).directory(dir.toFile())
        builder.environment().keySet().removeIf { it.startsWith('FHIRMIG_') || it in ['FHIR_URL', 'MAVEN_OPTS'] }
        def out = Files.createTempFile(work, 'out', '.txt')
        def err = Files.createTempFile(work, 'err', '.txt')
        builder.redirectOutput(out.toFile()).redirectError(err.toFile())
        def process = builder.start()
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw new AssertionError("${command} did not finish in ${TIMEOUT_SECONDS} s")
        }
        [code: process.exitValue(), out: Files.readString(out), err: Files.readString(err)]
    }

    String mvn() {
        String home = System.getProperty('fhirmig.maven.home')
        home ? Path.of(home, 'bin', 'mvn').toString() : 'mvn'
    }

    def "the sample application builds against the installed artifact and migrates its server at start-up"() {
        given: 'the artifact installed in a fresh local repository, and settings that serve this build\'s one'
        assert Files.isRegularFile(jar)
        Path repository = install(work.resolve('repository'))
        Path settings = work.resolve('settings.xml')
        Files.writeString(settings, """\
<settings>
  <profiles>
    <profile>
      <id>this-build</id>
      <repositories>
        <repository>
          <id>this-build</id>
          <url>${localRepository.toUri()}</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>this-build</id>
          <url>${localRepository.toUri()}</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>this-build</activeProfile>
  </activeProfiles>
</settings>
""")

        and: 'the application, and a migration that creates a patient'
        Path app = work.resolve('startup-app')
        Files.createDirectories(app.resolve('src/main/java/example'))
        Files.copy(Path.of('examples/startup-app/pom.xml'), app.resolve('pom.xml'))
        Files.copy(Path.of('examples/startup-app/src/main/java/example/StartupApp.java'),
                app.resolve('src/main/java/example/StartupApp.java'))
        Path versions = Files.createDirectories(work.resolve('versions'))
        Files.writeString(versions.resolve('0001_create_patient.groovy'),
                Files.readString(Path.of('versions/0001_create_example_patient.groovy'))
                        .replace("'example'", "'${patientId}'").replace("'12345'", "'${namespace}'"))

        when: 'Maven builds it'
        def build = run([mvn(), '-B', '-q', '-s', settings.toString(), "-Dmaven.repo.local=${repository}".toString(),
                         'package', 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath',
                         '-Dmdep.outputFile=classpath.txt'], app)

        then:
        build.code == 0
        Files.isRegularFile(app.resolve('target/startup-app.jar'))

        and: 'with fhirmig and what it needs, but not the embedded server, which is optional'
        def classpath = Files.readString(app.resolve('classpath.txt'))
        classpath.contains('fhirmig-0.1.0-SNAPSHOT.jar')
        classpath.contains('hapi-fhir-client')
        !classpath.contains('hapi-fhir-jpaserver')
        !classpath.contains('jetty')
        !classpath.contains('com/h2database')

        when: 'it starts, with the server URL as its argument'
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def command = [java, '-cp', app.resolve('target/startup-app.jar').toString() + File.pathSeparator + classpath.trim(),
                       'example.StartupApp', TestServer.baseUrl(), versions.toString(), namespace]
        def first = run(command, work)

        then: 'it applied the migration and exited 0'
        first.code == 0
        first.out.contains('migrated: 1 migration(s) applied')
        first.out.contains('head: 985f4e1e-29f5-4911-bc9c-2c774b685289')
        TestServer.newClient().read().resource(Patient).withId(patientId).execute().nameFirstRep.family == 'Doe'

        when: 'it starts again'
        def second = run(command, work)

        then: 'nothing to do'
        second.code == 0
        second.out.contains('migrated: 0 migration(s) applied')
    }
}
