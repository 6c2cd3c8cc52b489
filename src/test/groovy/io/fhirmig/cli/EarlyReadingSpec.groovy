package io.fhirmig.cli

import io.fhirmig.Scripts
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The migrations read before the command line is parsed are used only when the command's resolved
 * settings name the same folder and cache; otherwise (or when the command line could change them,
 * or -v asks for debug lines) nothing is read early.
 */
class EarlyReadingSpec extends Specification {

    @TempDir
    Path dir

    Map<String, String> environment(String versions) {
        [FHIRMIG_VERSIONS: dir.resolve(versions).toString(), FHIRMIG_CACHE: dir.resolve('cache').toString()]
    }

    Settings settings(Map<String, String> environment) {
        def command = new FhirmigCommand()
        command.environment = environment
        command.settings()
    }

    def setup() {
        Scripts.chain(Files.createDirectories(dir.resolve('a')), ['a1', 'a2'])
        Scripts.chain(Files.createDirectories(dir.resolve('b')), ['b1'])
        EarlyReading.take(settings(environment('a')))   // nothing left over from another feature
    }

    def "a session command's reading is taken by the command whose settings match, once"() {
        when:
        EarlyReading.start(environment('a'), '-q', '--namespace', 'n1', 'current')
        def reading = EarlyReading.take(settings(environment('a')))

        then:
        reading.get().graph().revisions()*.id() == ['a1', 'a2']
        EarlyReading.take(settings(environment('a'))) == null
    }

    def "settings that name another folder do not take it"() {
        when:
        EarlyReading.start(environment('a'), 'current')

        then:
        EarlyReading.take(settings(environment('b'))) == null
    }

    def "nothing is read early when the command line could change the folder, asks for debug lines, or names no session command (#args)"() {
        when:
        EarlyReading.start(environment('a'), args as String[])

        then:
        EarlyReading.take(settings(environment('a'))) == null

        where:
        args << [['current', '--versions', 'b'], ['--versions=b', 'current'], ['--config', 'x.properties', 'history'],
                 ['-v', 'current'], ['-qv', 'heads'], ['--verbose', 'upgrade'], ['init'], ['check'], ['serve'], []]
    }

    def "-v among short options is recognised as the command line parses it (#arg: #asksForDebug)"() {
        expect:
        EarlyReading.isShortOptionsWithV(arg) == asksForDebug

        where:
        arg       | asksForDebug
        '-v'      | true
        '-qv'     | true
        '-vq'     | true
        '-q'      | false
        '-'       | false
        'v'       | false
        '--v'     | false
        '-v1'     | false
        'current' | false
    }

    def "a quiet session command's reading is still started early"() {
        when:
        EarlyReading.start(environment('a'), '-q', 'current')

        then:
        EarlyReading.take(settings(environment('a'))) != null
    }
}
