package io.fhirmig.run

import io.fhirmig.api.FhirmigException
import io.fhirmig.script.CacheFile
import io.fhirmig.script.ScriptCache
import io.fhirmig.script.ScriptLoader
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/** The graph of an unchanged set of scripts is not validated again; any change is. */
class ValidGraphsSpec extends Specification {

    @TempDir
    Path project

    Path versions
    ScriptCache cache

    def setup() {
        versions = Files.createDirectories(project.resolve('versions'))
        cache = ScriptCache.at(project.resolve('cache'))
    }

    void write(String name, String revision, String parent) {
        Files.writeString(versions.resolve(name), """\
revision = '${revision}'
downRevision = ${parent == null ? 'null' : "'${parent}'"}
void upgrade() {}
void downgrade() {}
""")
    }

    def "a valid set is remembered, and an edit that breaks the graph is still reported"() {
        given:
        write('0001_a.groovy', 'a', null)
        write('0002_b.groovy', 'b', 'a')
        MigrationSet.load(versions, cache)

        expect:
        new ValidGraphs(cache, ScriptLoader.scan(versions, cache).scripts()).known()

        when: 'b now names a parent that does not exist'
        write('0002_b.groovy', 'b', 'nowhere')
        MigrationSet.load(versions, cache)

        then:
        FhirmigException e = thrown()
        e.kind() == FhirmigException.Kind.INVALID_MIGRATIONS
        e.message.contains("downRevision 'nowhere'")
    }

    def "a renamed script is a new set: a duplicate revision it brings is reported"() {
        given:
        write('0001_a.groovy', 'a', null)
        MigrationSet.load(versions, cache)

        when:
        write('0002_copy.groovy', 'a', null)
        MigrationSet.load(versions, cache)

        then:
        FhirmigException e = thrown()
        e.message.contains("revision 'a' is declared by 2 files")
    }

    def "a note written by another build does not count as validated"() {
        given:
        write('0001_a.groovy', 'a', null)
        write('0002_b.groovy', 'b', 'a')
        def scripts = ScriptLoader.scan(versions, cache).scripts()
        def valid = new ValidGraphs(cache, scripts)
        CacheFile.write(project.resolve('cache/graph.bin'), 'valid-graph', valid.@key, 'another build', { it.writeInt(0) } as CacheFile.Payload)

        expect:
        !new ValidGraphs(cache, scripts).known()
    }
}
