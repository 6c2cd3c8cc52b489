package io.fhirmig.cli

import io.fhirmig.api.FhirmigException
import io.fhirmig.Scripts
import io.fhirmig.TestServer
import io.fhirmig.fhir.auth.Authentication
import io.fhirmig.fhir.auth.Secret
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
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
        try {
            EarlyReading.takeSession(null)
        } catch (RuntimeException ignored) {
            // an early session of another feature that failed
        }
    }

    Map<String, String> atServer(String versions, String url = TestServer.baseUrl()) {
        environment(versions) + [FHIRMIG_URL: url, FHIRMIG_NAMESPACE: 'early-reading-spec']
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

    def "a command that starts by reading the state gets the connection opened and the state read early, for the same settings only"() {
        when:
        EarlyReading.start(atServer('a'), 'current')
        def settings = settings(atServer('a'))
        EarlyReading.take(settings)
        def session = EarlyReading.takeSession(settings)

        then: 'a session with the state read ahead (nothing applied here)'
        session != null
        session.readState().heads() == []
        session.migrations().graph().revisions()*.id() == ['a1', 'a2']

        and: 'taken once'
        EarlyReading.takeSession(settings) == null

        cleanup:
        session?.close()
    }

    def "no early session when the settings differ, the command line names a connection setting, or the command does not read the state first (#args)"() {
        when:
        EarlyReading.start(atServer('a'), args as String[])

        then:
        EarlyReading.takeSession(settings(atServer('a', taken))) == null

        where:
        args                                              | taken
        ['current']                                       | 'http://127.0.0.1:1/fhir'
        ['--url', TestServer.baseUrl(), 'current']        | TestServer.baseUrl()
        ['history', '--namespace=early-reading-spec']     | TestServer.baseUrl()
        ['-q', 'heads']                                   | TestServer.baseUrl()
        ['upgrade']                                       | TestServer.baseUrl()
        ['check']                                         | TestServer.baseUrl()
        ['current', '--help']                             | TestServer.baseUrl()
        ['-h', 'history']                                 | TestServer.baseUrl()
    }

    def "a server that cannot be reached fails the command as its own attempt would"() {
        given:
        def unreachable = atServer('a', 'http://127.0.0.1:1/fhir')

        when:
        EarlyReading.start(unreachable, 'heads')
        EarlyReading.takeSession(settings(unreachable))

        then:
        def early = thrown(FhirmigException)

        when:
        Session.open(settings(unreachable), new PrintWriter(new StringWriter()), Session.startReading(settings(unreachable)))
                .withCloseable { it.readStateAhead() }

        then:
        def own = thrown(FhirmigException)
        early.message == own.message
        early.kind() == own.kind()
    }

    def "an early session is the command's only when server, namespace, security, migrations and cache are the same (#change)"() {
        given:
        def base = new Settings('http://a/fhir', Path.of('versions'), 'n', Path.of('templates'), false,
                new ConnectionSecurity(new Authentication.None(), null, [:]), Path.of('.fhirmig/cache'),
                Duration.ofSeconds(10), Duration.ofMinutes(5))
        def other = new Settings(values.url ?: base.url(), values.versions ?: base.versions(), values.namespace ?: base.namespace(),
                values.templates ?: base.templates(), false, values.security ?: base.security(),
                values.containsKey('cache') ? values.cache : base.cache(), base.connectTimeout(),
                values.readTimeout ?: base.readTimeout())

        expect:
        EarlyReading.sameForSession(base, other) == same
        EarlyReading.sameForSession(base, base)

        where:
        change          | values                                                                                  | same
        'nothing'       | [:]                                                                                     | true
        'templates'     | [templates: Path.of('other')]                                                           | true
        'url'           | [url: 'http://b/fhir']                                                                  | false
        'namespace'     | [namespace: 'm']                                                                        | false
        'versions'      | [versions: Path.of('other')]                                                            | false
        'read timeout'  | [readTimeout: Duration.ofSeconds(1)]                                                    | false
        'cache'         | [cache: null]                                                                           | false
        'token'         | [security: new ConnectionSecurity(new Authentication.BearerToken(Secret.of('t')), null, [:])] | false
        'CA file'       | [security: new ConnectionSecurity(new Authentication.None(), Path.of('ca.pem'), [:])]  | false
        'headers'       | [security: new ConnectionSecurity(new Authentication.None(), null, ['X-A': '1'])]      | false
    }
}
