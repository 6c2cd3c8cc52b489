package io.fhirmig.script

import ca.uhn.fhir.context.FhirContext
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.BasicFileAttributes
import java.nio.file.attribute.FileTime
import java.time.Duration
import java.time.Instant
import java.util.concurrent.TimeUnit
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

    Path stampsFile() {
        cacheDir.resolve('stamps.bin')
    }

    /** Dates a script's file an hour back, as a file written before this run would be: its stamp is trusted. */
    Path settle(String name) {
        def file = versions.resolve(name)
        Files.setLastModifiedTime(file, FileTime.from(Instant.now() - Duration.ofHours(1)))
        file
    }

    FileStamps stamps() {
        FileStamps.load(stampsFile(), cache.fingerprint(), TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()))
    }

    /** Puts a stamp into the cache that says a file, as it is now, has this checksum. */
    void plantStamp(String name, String checksum) {
        def stamps = stamps()
        stamps.put(name, Files.readAttributes(versions.resolve(name), BasicFileAttributes), checksum)
        stamps.save()
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

    def "a warm cache gives the same scripts as parsing them, and is what the scan reads (#files)"() {
        given:
        write('0001_a.groovy', script('a', null, '', 'first'))
        write('0002_b.groovy', script('b', 'a'))
        if (settled) {
            settle('0001_a.groovy'); settle('0002_b.groovy')
        }
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

        and: 'a script whose text is read when it runs has the same text'
        warm*.text() == uncached*.text()

        where:
        files                               | settled
        'files written just now'            | false
        'files written before, now stamped' | true
    }

    def "a changed script is read again: its new text has another checksum (#files)"() {
        given:
        write('0001_a.groovy', script('a', null))
        write('0002_b.groovy', script('b', 'a'))
        if (settled) {
            settle('0001_a.groovy'); settle('0002_b.groovy')
        }
        scan()

        when:
        write('0002_b.groovy', script('b2', 'a', '', 'edited'))
        def scripts = scan()

        then:
        scripts*.revision() == ['a', 'b2']
        scripts[1].description() == 'edited'
        scripts[1].checksum() == Checksums.of(script('b2', 'a', '', 'edited'))

        where:
        files                               | settled
        'files written just now'            | false
        'files written before, now stamped' | true
    }

    def "an edit that keeps a stamped file's size is seen: its modification time moved"() {
        given:
        write('0001_a.groovy', script('a', null, "migration.calls << 'old'"))
        settle('0001_a.groovy')
        scan()

        when:
        write('0001_a.groovy', script('a', null, "migration.calls << 'new'"))
        def scripts = scan()

        then:
        scripts[0].checksum() == Checksums.of(script('a', null, "migration.calls << 'new'"))
        scripts[0].text().contains("'new'")
    }

    def "a file that says what it said when it was read is not read again: its checksum comes from the stamps"() {
        given:
        def text = script('a', null, '', 'on disk')
        write('0001_a.groovy', text)
        settle('0001_a.groovy')
        def cold = scan()

        expect: 'the first scan read the file and stamped it'
        cold[0].checksum() == Checksums.of(text)
        stamps().checksum('0001_a.groovy', Files.readAttributes(versions.resolve('0001_a.groovy'), BasicFileAttributes)) == Checksums.of(text)

        when: 'the stamps say the file, as it is, had another text, whose header the cache holds'
        plantStamp('0001_a.groovy', 'sha256:planted')
        plantHeader('sha256:planted', new ScriptHeader('a', [], 'from the stamp', false))
        def warm = scan()

        then: 'the scan took the stamp: it did not read the file'
        warm[0].checksum() == 'sha256:planted'
        warm[0].description() == 'from the stamp'

        when: 'the script is about to run: its text is read now, and checked against that checksum'
        warm[0].text()

        then:
        InvalidScriptsException e = thrown()
        e.message.contains('0001_a.groovy: changed since fhirmig read it')
    }

    def "a rewrite that sets the modification time back passes the scan, but is refused when it runs, never run"() {
        given:
        def old = script('a', null, "migration.calls << 'old'")
        write('0001_a.groovy', old)
        def before = Files.getLastModifiedTime(settle('0001_a.groovy'))
        scan()

        when: 'the file is rewritten with as many bytes, and its time set back, as a copy that keeps times does'
        write('0001_a.groovy', script('a', null, "migration.calls << 'new'"))
        Files.setLastModifiedTime(versions.resolve('0001_a.groovy'), before)
        def stale = scan()[0]

        then: 'the file says what it said: the scan cannot tell, and gives the old checksum'
        stale.checksum() == Checksums.of(old)

        when:
        def context = new RecordingContext('a')
        compileAndRun(new ScriptCompiler(cache), stale, context)

        then: 'the text read to run it has another checksum: neither text runs'
        InvalidScriptsException e = thrown()
        e.message.contains('0001_a.groovy: changed since fhirmig read it')
        e.message.contains('touching the file')
        context.calls == []

        when: 'the user touches it, as the message says'
        Files.setLastModifiedTime(versions.resolve('0001_a.groovy'), FileTime.from(Instant.now()))
        def fresh = new RecordingContext('a')
        compileAndRun(new ScriptCompiler(cache), scan()[0], fresh)

        then:
        fresh.calls == ['new']
    }

    def "a file written moments before a scan is not stamped, so a rewrite in the same clock tick is seen"() {
        given: 'a file written just now: a rewrite could get the very same modification time'
        write('0001_a.groovy', script('a', null, "migration.calls << 'old'"))
        def written = Files.getLastModifiedTime(versions.resolve('0001_a.groovy'))
        scan()

        when: 'it is rewritten with as many bytes, in the same file, with the same modification time'
        write('0001_a.groovy', script('a', null, "migration.calls << 'new'"))
        Files.setLastModifiedTime(versions.resolve('0001_a.groovy'), written)
        def scripts = scan()

        then: 'the file was read again'
        scripts[0].checksum() == Checksums.of(script('a', null, "migration.calls << 'new'"))
    }

    def "a stamped script whose file is gone when its step runs is refused with what happened"() {
        given:
        write('0001_a.groovy', script('a', null))
        settle('0001_a.groovy')
        scan()
        def a = scan()[0]

        when:
        Files.delete(versions.resolve('0001_a.groovy'))
        compileAndRun(new ScriptCompiler(cache), a, new RecordingContext('a'))

        then:
        InvalidScriptsException e = thrown()
        e.message.contains('0001_a.groovy: cannot be read any more: it no longer exists; run the command again')
    }

    def "damaged stamps are not trusted, and are rebuilt: #damage"() {
        given:
        def text = script('a', null, '', 'on disk')
        write('0001_a.groovy', text)
        settle('0001_a.groovy')
        scan()
        plantStamp('0001_a.groovy', 'sha256:planted')
        plantHeader('sha256:planted', new ScriptHeader('a', [], 'from the stamp', false))
        assert scan()[0].description() == 'from the stamp'

        when:
        Files.write(stampsFile(), spoil(Files.readAllBytes(stampsFile())))
        def scripts = scan()

        then: 'the file was read'
        scripts[0].description() == 'on disk'
        scripts[0].checksum() == Checksums.of(text)

        and: 'the stamps were written again, whole'
        stamps().checksum('0001_a.groovy', Files.readAttributes(versions.resolve('0001_a.groovy'), BasicFileAttributes)) == Checksums.of(text)

        where:
        damage            | spoil
        'truncated'       | { byte[] b -> Arrays.copyOf(b, b.length - 9) }
        'one bit flipped' | { byte[] b -> b[b.length.intdiv(2)] ^= 0x04; b }
        'emptied'         | { byte[] b -> new byte[0] }
    }

    def "stamps written by another build are not trusted"() {
        given:
        def text = script('a', null, '', 'on disk')
        write('0001_a.groovy', text)
        settle('0001_a.groovy')
        def foreign = FileStamps.load(stampsFile(), 'format 1; fhirmig 0.0.1 built long ago',
                TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()))
        foreign.put('0001_a.groovy', Files.readAttributes(versions.resolve('0001_a.groovy'), BasicFileAttributes), 'sha256:planted')
        foreign.save()
        plantHeader('sha256:planted', new ScriptHeader('a', [], 'from the stamp', false))

        expect:
        Files.exists(stampsFile())
        scan()[0].description() == 'on disk'
    }

    def "a renamed, an added and a deleted script are seen (#files)"() {
        given:
        write('0001_a.groovy', script('a', null))
        write('0002_b.groovy', script('b', 'a'))
        write('0003_c.groovy', script('c', 'b'))
        if (settled) {
            ['0001_a.groovy', '0002_b.groovy', '0003_c.groovy'].each { settle(it) }
        }
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

        where:
        files                               | settled
        'files written just now'            | false
        'files written before, now stamped' | true
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

    def "a scan of unchanged scripts writes no cache file; a deleted script's stamp and header are dropped"() {
        given: 'two settled scripts, scanned once to stamp them and once from the stamps'
        write('0001_a.groovy', script('a', null))
        write('0002_b.groovy', script('b', 'a'))
        settle('0001_a.groovy')
        settle('0002_b.groovy')
        scan()
        scan()
        def stampsBefore = Files.readAttributes(stampsFile(), BasicFileAttributes)
        def headersBefore = Files.readAttributes(headersFile(), BasicFileAttributes)

        when: 'nothing changed'
        scan()

        then: 'the files are the same files (a write replaces a file by another)'
        Files.readAttributes(stampsFile(), BasicFileAttributes).fileKey() == stampsBefore.fileKey()
        Files.readAttributes(headersFile(), BasicFileAttributes).fileKey() == headersBefore.fileKey()

        when:
        Files.delete(versions.resolve('0002_b.groovy'))
        def scripts = scan()
        def a = Files.readAttributes(versions.resolve('0001_a.groovy'), BasicFileAttributes)

        then: 'both are written again without b, and a is still trusted by its stamp'
        scripts*.revision() == ['a']
        Files.size(stampsFile()) < stampsBefore.size()
        Files.size(headersFile()) < headersBefore.size()
        stamps().checksum('0001_a.groovy', a) == Checksums.of(script('a', null))
        cache.headers().get(Checksums.of(script('b', 'a'))) == null
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

    def "the cache belongs to one build: its fingerprint names fhirmig's build, the Groovy and the Java that compiled"() {
        expect: 'the Groovy version is the one running, as Groovy itself reports it'
        cache.fingerprint().contains("; groovy ${GroovySystem.version};")
        cache.fingerprint().contains("; java ${Runtime.version().feature()};")
        cache.fingerprint() =~ /fhirmig \S+ built \d+;/
        !cache.fingerprint().contains('unknown')
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
        def aKey = CompiledClasses.key(a.fileName(), a.checksum())
        def bKey = CompiledClasses.key(b.fileName(), b.checksum())

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

    /**
     * Writes scripts a and b, compiles them, and keeps their classes in one batch file instead, each
     * under the other's key, as only this cache could have them.
     *
     * @return a and b
     */
    List<MigrationScript> plantSwappedBatch() {
        write('0001_a.groovy', script('a', null, "migration.calls << 'ran a'"))
        write('0002_b.groovy', script('b', 'a', "migration.calls << 'ran b'"))
        def (a, b) = scan()
        [a, b].each { compileAndRun(new ScriptCompiler(cache), it, new RecordingContext(it.revision())) }
        def aKey = CompiledClasses.key(a.fileName(), a.checksum())
        def bKey = CompiledClasses.key(b.fileName(), b.checksum())
        def batch = [(aKey): cache.classes().read(bKey), (bKey): cache.classes().read(aKey)]
        classFiles().each { Files.delete(it) }
        cache.classes().writeBatch(batch)
        [a, b]
    }

    def "scripts compiled together are kept in one file, and each is found there by its key"() {
        when: "one file holds a's and b's classes, each under the other's key"
        def (a, b) = plantSwappedBatch()
        def ranA = new RecordingContext('a')
        compileAndRun(new ScriptCompiler(cache), a, ranA)

        then: 'the batch file is what ran'
        classFiles().size() == 1
        classFiles()[0].fileName.toString().startsWith('batch-')
        ranA.calls == ['ran b']

        when: 'b is deleted: the file stays for a'
        Files.delete(versions.resolve('0002_b.groovy'))
        scan()

        then:
        classFiles().size() == 1

        when: 'a changes too: no script of the file is left, and it goes'
        write('0001_a.groovy', script('a', null, "migration.calls << 'ran a again'"))
        scan()

        then:
        classFiles().isEmpty()
    }

    def "a damaged batch file is compiled around"() {
        given:
        def (a, b) = plantSwappedBatch()
        def file = classFiles()[0]

        when:
        byte[] bytes = Files.readAllBytes(file)
        bytes[bytes.length - 20] ^= 0x01
        Files.write(file, bytes)
        def context = new RecordingContext('a')
        compileAndRun(new ScriptCompiler(cache), a, context)

        then: "a's own text ran"
        context.calls == ['ran a']
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
        cache.classes().read(CompiledClasses.key(a.fileName(), a.checksum())) != null

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
        classFiles()*.fileName*.toString() == ["${CompiledClasses.key('0001_a.groovy', scripts[0].checksum())}.classes"]
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
