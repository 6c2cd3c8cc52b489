package io.fhirmig.script

import ca.uhn.fhir.context.FhirContext
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/** Scripts the cache lacks are compiled ahead of their steps, in batches, and behave as if compiled alone. */
class AheadCompilerSpec extends Specification {

    @TempDir
    Path dir

    private static String noop(String revision, String parent, String body = '') {
        """\
revision = '${revision}'
downRevision = ${parent == null ? 'null' : "'" + parent + "'"}

void upgrade() { ${body} }
void downgrade() {}
"""
    }

    private Migration load(ScriptCompiler compiler, MigrationScript script, RecordingContext context) {
        compiler.compile(script, ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), context))
    }

    def "scripts compiled ahead run as their steps come, and are kept in the cache"() {
        given:
        Path versions = Files.createDirectories(dir.resolve('versions'))
        String parent = null
        (1..20).each { i ->
            String revision = "r${i}"
            Files.writeString(versions.resolve(String.format('%04d_s.groovy', i)),
                    noop(revision, parent, "migration.calls << [1, 2].collect { it * ${i} }.toString()"))
            parent = revision
        }
        def scripts = ScriptLoader.scanOrThrow(versions)
        def cache = ScriptCache.at(dir.resolve('cache'))
        def compiler = new ScriptCompiler(cache)
        def context = new RecordingContext('r1')

        when:
        compiler.compileAhead(scripts)
        scripts.each { script -> load(compiler, script, context).withCloseable { it.upgrade() } }

        then:
        context.calls == (1..20).collect { i -> "[${i}, ${2 * i}]".toString() }

        and: 'one cache file a batch (8, then 12), from which another run reads every script'
        Files.list(dir.resolve('cache/classes')).withCloseable { files -> files.toList() }
                .every { it.fileName.toString().startsWith('batch-') }
        Files.list(dir.resolve('cache/classes')).withCloseable { it.count() } == 2
        def later = ScriptCache.at(dir.resolve('cache')).classes()
        scripts.every { later.read(CompiledClasses.key(it.fileName(), it.checksum())) != null }
    }

    def "a batch with a script that declares a class of its own, or does not compile, leaves them to their steps"() {
        given:
        Path versions = Files.createDirectories(dir.resolve('versions'))
        Files.writeString(versions.resolve('0001_a.groovy'), noop('a', null, 'migration.calls << new Helper().name()')
                + 'class Helper { String name() { "helper" } }\n')
        Files.writeString(versions.resolve('0002_b.groovy'), noop('b', 'a', 'migration.calls << "b"'))
        Files.writeString(versions.resolve('0003_c.groovy'), noop('c', 'b', 'def p = new Patientt()'))
        Files.writeString(versions.resolve('0004_d.groovy'), noop('d', 'c', 'migration.calls << "d"'))
        def scripts = ScriptLoader.scanOrThrow(versions)
        def compiler = new ScriptCompiler(ScriptCache.at(dir.resolve('cache')))
        def context = new RecordingContext('r1')

        when:
        compiler.compileAhead(scripts)
        load(compiler, scripts[0], context).upgrade()
        load(compiler, scripts[1], context).upgrade()
        load(compiler, scripts[2], context)

        then:
        def e = thrown(InvalidScriptsException)
        e.problems()*.toString() == ['0003_c.groovy:4: does not compile: unable to resolve class Patientt']
        context.calls == ['helper', 'b']

        when:
        load(compiler, scripts[3], context).upgrade()

        then:
        context.calls == ['helper', 'b', 'd']
    }
}
