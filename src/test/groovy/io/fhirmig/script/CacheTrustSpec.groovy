package io.fhirmig.script

import ca.uhn.fhir.context.FhirContext
import io.fhirmig.secure.LogCapture
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The cache's compiled classes run as code, so the cache is trusted only when the user owns it and
 * neither group nor others can write it: otherwise fhirmig warns once, naming the path, and runs
 * without the cache, writing nothing there. What fhirmig writes there is 0700/0600.
 */
class CacheTrustSpec extends Specification {

    @TempDir Path project
    Path versions
    Path cacheDir

    def setup() {
        versions = Files.createDirectories(project.resolve('versions'))
        cacheDir = project.resolve('.fhirmig/cache')
    }

    static String script(String revision, String parent, String body) {
        "revision = '${revision}'\ndownRevision = ${parent == null ? 'null' : "'${parent}'"}\n" +
                "void upgrade() { ${body} }\nvoid downgrade() {}\n"
    }

    static String mode(Path path) {
        PosixFilePermissions.toString(Files.getPosixFilePermissions(path))
    }

    List<MigrationScript> scan(ScriptCache cache) {
        def result = ScriptLoader.scan(versions, cache)
        assert result.problems() == []
        result.scripts()
    }

    List<String> run(ScriptCache cache, MigrationScript script) {
        def context = new RecordingContext(script.revision())
        new ScriptCompiler(cache).compile(script, ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), context)).upgrade()
        context.calls
    }

    List<String> listing() {
        Files.walk(cacheDir).withCloseable { it.map { cacheDir.relativize(it).toString() + ' ' + Files.getLastModifiedTime(it) }.sorted().toList() }
    }

    def "what fhirmig writes in the cache is the user's alone: folders 0700, files 0600 (umask 022)"() {
        given:
        Files.writeString(versions.resolve('0001_a.groovy'), script('a', null, "migration.calls << 'ran a'"))
        def cache = ScriptCache.at(cacheDir)

        when:
        run(cache, scan(cache)[0])
        def all = Files.walk(project.resolve('.fhirmig')).withCloseable { it.toList() }

        then:
        all.size() >= 5
        all.findAll { Files.isDirectory(it) }.every { mode(it) == 'rwx------' }
        all.findAll { Files.isRegularFile(it) }.every { mode(it) == 'rw-------' }
    }

    def "a cache of the user's own that an older fhirmig made 0755/0644 is used, without a warning"() {
        given:
        Files.writeString(versions.resolve('0001_a.groovy'), script('a', null, "migration.calls << 'ran a'"))
        def first = ScriptCache.at(cacheDir)
        run(first, scan(first)[0])
        Files.walk(cacheDir).withCloseable { it.toList() }.each {
            Files.setPosixFilePermissions(it, PosixFilePermissions.fromString(Files.isDirectory(it) ? 'rwxr-xr-x' : 'rw-r--r--'))
        }

        when:
        def log = new LogCapture()
        def cache = ScriptCache.at(cacheDir)
        def calls = run(cache, scan(cache)[0])
        log.close()

        then:
        calls == ['ran a']
        cache.enabled()
        !log.text().contains('not using the script cache')
    }

    def "a group-writable cache folder is not used: a warning names it, once, and nothing is written there"() {
        given:
        Files.createDirectories(cacheDir)
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString('rwxrwxr-x'))
        Files.writeString(versions.resolve('0001_a.groovy'), script('a', null, "migration.calls << 'ran a'"))

        when:
        def log = new LogCapture()
        def cache = ScriptCache.at(cacheDir)
        def calls = run(cache, scan(cache)[0])
        def again = run(cache, scan(cache)[0])
        log.close()

        then: 'the scripts run, compiled from their text'
        calls == ['ran a']
        again == ['ran a']
        !cache.enabled()

        and: 'one warning, naming the folder'
        log.text().count('not using the script cache') == 1
        log.text().contains("not using the script cache: ${cacheDir} can be written by its group")

        and: 'nothing was written there'
        Files.list(cacheDir).withCloseable { it.count() } == 0
        mode(cacheDir) == 'rwxrwxr-x'
    }

    @Requires({ System.getProperty('user.name') == 'root' })
    def "a compiled-classes file of another owner is not run: another script's classes planted under a script's key, chowned to nobody"() {
        given: "a's classes are in the cache"
        Files.writeString(versions.resolve('0001_a.groovy'), script('a', null, "migration.calls << 'ran a'"))
        Files.writeString(versions.resolve('0002_b.groovy'), script('b', 'a', "migration.calls << 'ran b'"))
        def warm = ScriptCache.at(cacheDir)
        def (a, b) = scan(warm)
        run(warm, a)
        def store = warm.classes()

        and: "another user plants a's classes under b's key, whole and with the right CRC, as the attack did"
        def bKey = CompiledClasses.key(b.fileName(), b.checksum())
        store.write(bKey, store.read(CompiledClasses.key(a.fileName(), a.checksum())))
        Path planted = cacheDir.resolve("classes/${bKey}.classes")
        def nobody = project.fileSystem.userPrincipalLookupService.lookupPrincipalByName('nobody')
        Files.setOwner(planted, nobody)
        def before = listing()

        when:
        def log = new LogCapture()
        def cache = ScriptCache.at(cacheDir)
        def calls = run(cache, scan(cache)[1])
        log.close()

        then: "b runs its own code, not the planted classes"
        calls == ['ran b']

        and: 'a warning names the file and its owner'
        log.text().count('not using the script cache') == 1
        log.text().contains("not using the script cache: ${planted} is owned by nobody, not by root")

        and: 'nothing was written in the cache: not b\'s classes, not the stamps, the planted file left as it is'
        listing() == before
        Files.getOwner(planted).name == 'nobody'
    }
}
