package io.fhirmig.script

import ca.uhn.fhir.context.FhirContext
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The cache under .fhirmig/cache makes loading and running fast; these specifications check that
 * it is never trusted beyond what the scripts on disk say: a changed, renamed, added or deleted
 * script is always seen, and a damaged or foreign cache is rebuilt.
 */
class ScriptCacheSpec extends Specification {

    @TempDir
    Path project

    Path versions
    Path cacheDir
    ScriptCache cache

    def setup() {
        versions = Files.createDirectories(project.resolve('versions'))
        cacheDir = project.resolve('.fhirmig/cache')
        cache = ScriptCache.at(cacheDir)
    }

    static String script(String revision, String parent, String body = '', String description = null) {
        """\
revision = '${revision}'
downRevision = ${parent == null ? 'null' : "'${parent}'"}
${description == null ? '' : "description = '${description}'"}

void upgrade() { ${body} }
void downgrade() {}
"""
    }

    Path write(String name, String text) {
        Files.writeString(versions.resolve(name), text)
    }

    List<MigrationScript> scan() {
        def result = ScriptLoader.scan(versions, cache)
        assert result.problems() == []
        result.scripts()
    }

    Path headersFile() {
        cacheDir.resolve('headers.bin')
    }

    List<Path> classFiles() {
        def dir = cacheDir.resolve('classes')
        Files.isDirectory(dir) ? Files.list(dir).withCloseable { it.sorted().toList() } : []
    }

    /** Puts a header into the cache under a script's checksum, as a cache written by this build would hold it. */
    void plantHeader(String checksum, ScriptHeader header) {
        def headers = cache.headers()
        headers.put(checksum, header)
        assert headers.save()
    }

    Migration compileAndRun(ScriptCompiler compiler, MigrationScript script, RecordingContext context) {
        def migration = compiler.compile(script, ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), context))
        migration.upgrade()
        migration
    }

    def "a warm cache gives the same scripts as parsing them, and is what the scan reads"() {
        given:
        write('0001_a.groovy', script('a', null, '', 'first'))
        write('0002_b.groovy', script('b', 'a'))
        def uncached = ScriptLoader.scan(versions).scripts()

        when: 'the first scan fills the cache, the second reads it'
        def cold = scan()
        def warm = scan()

        then:
        Files.exists(headersFile())
        cold == uncached
        warm == uncached

        when: "the cache says something else for the first script's exact text"
        plantHeader(uncached[0].checksum(), new ScriptHeader('a', [], 'from the cache', false))

        then: 'the scan took the header from the cache: it did not parse the script again'
        scan()[0].description() == 'from the cache'
    }

    def "a changed script is read again: its new text has another checksum"() {
        given:
        write('0001_a.groovy', script('a', null))
        write('0002_b.groovy', script('b', 'a'))
        scan()

        when:
        write('0002_b.groovy', script('b2', 'a', '', 'edited'))
        def scripts = scan()

        then:
        scripts*.revision() == ['a', 'b2']
        scripts[1].description() == 'edited'
        scripts[1].checksum() == Checksums.of(script('b2', 'a', '', 'edited'))
    }

    def "a renamed, an added and a deleted script are seen"() {
        given:
        write('0001_a.groovy', script('a', null))
        write('0002_b.groovy', script('b', 'a'))
        write('0003_c.groovy', script('c', 'b'))
        scan()

        when:
        Files.move(versions.resolve('0002_b.groovy'), versions.resolve('0002_renamed.groovy'))
        Files.delete(versions.resolve('0003_c.groovy'))
        write('0004_d.groovy', script('d', 'b'))
        def scripts = scan()

        then:
        scripts*.fileName() == ['0001_a.groovy', '0002_renamed.groovy', '0004_d.groovy']
        scripts*.revision() == ['a', 'b', 'd']
        scripts*.file() == scripts*.fileName().collect { versions.resolve(it) }
    }

    def "the header cache keeps only the scripts that exist"() {
        given:
        write('0001_a.groovy', script('a', null))
        write('0002_b.groovy', script('b', 'a'))
        scan()
        def before = Files.size(headersFile())

        when:
        Files.delete(versions.resolve('0002_b.groovy'))
        scan()

        then:
        Files.size(headersFile()) < before
        cache.headers().get(Checksums.of(script('b', 'a'))) == null
        cache.headers().get(Checksums.of(script('a', null))) != null
    }

    def "a damaged header cache is not trusted, and is rebuilt: #damage"() {
        given:
        def text = script('a', null, '', 'on disk')
        write('0001_a.groovy', text)
        scan()
        plantHeader(Checksums.of(text), new ScriptHeader('a', [], 'planted', false))
        assert scan()[0].description() == 'planted'

        when:
        byte[] bytes = Files.readAllBytes(headersFile())
        Files.write(headersFile(), spoil(bytes))
        def scripts = scan()

        then: 'the script is read from disk'
        scripts[0].description() == 'on disk'

        and: 'the cache was written again, whole'
        cache.headers().get(Checksums.of(text))?.description() == 'on disk'

        where:
        damage               | spoil
        'truncated'          | { byte[] b -> Arrays.copyOf(b, b.length - 9) }
        'one bit flipped'    | { byte[] b -> b[b.length.intdiv(2)] ^= 0x10; b }
        'emptied'            | { byte[] b -> new byte[0] }
        'another tool\'s'    | { byte[] b -> 'revision=a\ndescription=planted\n'.bytes }
    }

    def "a cache written by another build is not trusted"() {
        given:
        def text = script('a', null, '', 'on disk')
        write('0001_a.groovy', text)
        def foreign = ScriptCache.at(cacheDir)
        foreign.@fingerprint = 'format 1; fhirmig 0.0.1 built long ago'
        def headers = foreign.headers()
        headers.put(Checksums.of(text), new ScriptHeader('a', [], 'from another build', false))
        assert headers.save()

        expect:
        scan()[0].description() == 'on disk'
    }

    def "an unwritable cache folder costs speed, never the scan"() {
        given:
        write('0001_a.groovy', script('a', null))
        Files.writeString(project.resolve('.fhirmig'), 'a file where the cache folder would be')

        expect:
        scan()*.revision() == ['a']
    }

    def "compiled scripts are kept, and a new compiler loads them from the cache"() {
        given:
        write('0001_a.groovy', script('a', null, "migration.calls << 'ran a'"))
        def a = scan()[0]
        def first = new RecordingContext('a')
        compileAndRun(new ScriptCompiler(cache), a, first)

        expect:
        first.calls == ['ran a']
        classFiles().size() == 1

        when: 'another run loads the script again'
        def second = new RecordingContext('a')
        compileAndRun(new ScriptCompiler(cache), a, second)

        then:
        second.calls == ['ran a']
        classFiles().size() == 1
    }

    def "the class cache is what runs: proven by planting another script's classes under a script's key"() {
        given:
        write('0001_a.groovy', script('a', null, "migration.calls << 'ran a'"))
        write('0002_b.groovy', script('b', 'a', "migration.calls << 'ran b'"))
        def (a, b) = scan()
        compileAndRun(new ScriptCompiler(cache), a, new RecordingContext('a'))
        def store = cache.classes()
        def aKey = CompiledClasses.key(a.fileName(), a.text())
        def bKey = CompiledClasses.key(b.fileName(), b.text())

        when: "a's compiled classes are written under b's key by this build"
        store.write(bKey, store.read(aKey))
        def planted = new RecordingContext('b')
        compileAndRun(new ScriptCompiler(cache), b, planted)

        then: 'the cached classes ran'
        planted.calls == ['ran a']

        when: "a's file is copied over b's: it names a's key inside, so it is foreign to b"
        Files.copy(cacheDir.resolve("classes/${aKey}.classes"), cacheDir.resolve("classes/${bKey}.classes"),
                StandardCopyOption.REPLACE_EXISTING)
        def copied = new RecordingContext('b')
        compileAndRun(new ScriptCompiler(cache), b, copied)

        then: 'b is compiled from its own text'
        copied.calls == ['ran b']
    }

    def "damaged compiled classes are compiled again: #damage"() {
        given:
        write('0001_a.groovy', script('a', null, "migration.calls << 'ran a'"))
        def a = scan()[0]
        compileAndRun(new ScriptCompiler(cache), a, new RecordingContext('a'))
        def file = classFiles()[0]

        when:
        Files.write(file, spoil(Files.readAllBytes(file)))
        def context = new RecordingContext('a')
        compileAndRun(new ScriptCompiler(cache), a, context)

        then:
        context.calls == ['ran a']

        and: 'the compile wrote the classes again, whole'
        cache.classes().read(CompiledClasses.key(a.fileName(), a.text())) != null

        where:
        damage            | spoil
        'truncated'       | { byte[] b -> Arrays.copyOf(b, b.length.intdiv(2)) }
        'one bit flipped' | { byte[] b -> b[b.length - 20] ^= 0x01; b }
        'emptied'         | { byte[] b -> new byte[0] }
    }

    def "a changed script runs its new code, not the cached classes of its old text"() {
        given:
        write('0001_a.groovy', script('a', null, "migration.calls << 'old'"))
        compileAndRun(new ScriptCompiler(cache), scan()[0], new RecordingContext('a'))

        when:
        write('0001_a.groovy', script('a', null, "migration.calls << 'new'"))
        def context = new RecordingContext('a')
        compileAndRun(new ScriptCompiler(cache), scan()[0], context)

        then:
        context.calls == ['new']
    }

    def "a renamed script's failure names its new file, not the file its cached classes came from"() {
        given:
        def text = script('a', null, "throw new IllegalStateException('boom')")
        write('0001_old_name.groovy', text)
        def old = scan()[0]
        def compiled = new ScriptCompiler(cache).compile(old,
                ScriptBindings.forScript(old, null, FhirContext.forR4Cached(), new RecordingContext('a')))
        try { compiled.upgrade() } catch (MigrationFailedException ignored) {}

        when:
        Files.move(versions.resolve('0001_old_name.groovy'), versions.resolve('0001_new_name.groovy'))
        def renamed = scan()[0]
        new ScriptCompiler(cache).compile(renamed,
                ScriptBindings.forScript(renamed, null, FhirContext.forR4Cached(), new RecordingContext('a'))).upgrade()

        then:
        MigrationFailedException e = thrown()
        e.message.contains('0001_new_name.groovy:5')
        !e.message.contains('old_name')
    }

    def "compiled classes of deleted scripts are removed when the scripts change"() {
        given:
        write('0001_a.groovy', script('a', null))
        write('0002_b.groovy', script('b', 'a'))
        def scripts = scan()
        scripts.each { compileAndRun(new ScriptCompiler(cache), it, new RecordingContext(it.revision())) }
        assert classFiles().size() == 2

        when:
        Files.delete(versions.resolve('0002_b.groovy'))
        scan()

        then:
        classFiles()*.fileName*.toString() == ["${CompiledClasses.key('0001_a.groovy', scripts[0].text())}.classes"]
    }

    def "with no cache nothing is written"() {
        given:
        write('0001_a.groovy', script('a', null))
        def a = ScriptLoader.scan(versions, ScriptCache.none()).scripts()[0]
        compileAndRun(new ScriptCompiler(ScriptCache.none()), a, new RecordingContext('a'))

        expect:
        !Files.exists(cacheDir)
    }
}
