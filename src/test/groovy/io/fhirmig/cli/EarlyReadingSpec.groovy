package io.fhirmig.cli

import io.fhirmig.api.FhirmigException
import io.fhirmig.Scripts
import io.fhirmig.TestServer
import io.fhirmig.cli.ConnectionSecurity.Credentials
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A command that starts by reading the state of a server gets the library opened, the state read
 * and the migrations loaded ahead, while the command line is parsed; it takes them only when its
 * resolved settings are the same, and nothing is read early when the command line could change them,
 * asks for debug lines or for help.
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
        try {
            take(null)?.close()   // nothing left over from another feature
        } catch (RuntimeException ignored) {
            // an early reading of another feature that failed
        }
    }

    /** Takes the early reading; the line naming the embedded server it used, if any, is dropped. */
    static io.fhirmig.Fhirmig take(Settings settings) {
        EarlyReading.take(settings, new PrintWriter(Writer.nullWriter()))
    }

    Map<String, String> atServer(String versions, String url = TestServer.baseUrl()) {
        environment(versions) + [FHIRMIG_URL: url, FHIRMIG_NAMESPACE: 'early-reading-spec']
    }

    def "a command that starts by reading the state gets it read early, for the same settings only, once"() {
        when:
        EarlyReading.start(atServer('a'), 'current')
        def settings = settings(atServer('a'))
        def fhirmig = take(settings)

        then: 'the library, its state read ahead (nothing applied here)'
        fhirmig != null
        fhirmig.current().heads() == []
        fhirmig.current().pending() == ['a1', 'a2']

        and: 'taken once'
        take(settings) == null

        cleanup:
        fhirmig?.close()
    }

    def "settings that name another folder do not take it"() {
        when:
        EarlyReading.start(atServer('a'), 'current')

        then:
        take(settings(atServer('b'))) == null
    }

    def "nothing is read early when the settings differ, the command line names a setting, asks for debug lines or help, or the command does not read the state first (#args)"() {
        when:
        EarlyReading.start(atServer('a'), args as String[])

        then:
        take(settings(atServer('a', taken))) == null

        where:
        args                                              | taken
        ['current']                                       | 'http://127.0.0.1:1/fhir'
        ['--url', TestServer.baseUrl(), 'current']        | TestServer.baseUrl()
        ['history', '--namespace=early-reading-spec']     | TestServer.baseUrl()
        ['current', '--versions', 'b']                    | TestServer.baseUrl()
        ['--config', 'x.properties', 'history']           | TestServer.baseUrl()
        ['-q', 'heads']                                   | TestServer.baseUrl()
        ['-v', 'current']                                 | TestServer.baseUrl()
        ['-qv', 'heads']                                  | TestServer.baseUrl()
        ['upgrade']                                       | TestServer.baseUrl()
        ['check']                                         | TestServer.baseUrl()
        ['init']                                          | TestServer.baseUrl()
        ['current', '--help']                             | TestServer.baseUrl()
        ['-h', 'history']                                 | TestServer.baseUrl()
        []                                                | TestServer.baseUrl()
    }

    def "the embedded server is never started early"() {
        when:
        EarlyReading.start(environment('a'), 'current')

        then:
        take(settings(environment('a'))) == null
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

    def "a server that cannot be reached fails the command as its own attempt would"() {
        given:
        def unreachable = atServer('a', 'http://127.0.0.1:1/fhir')

        when:
        EarlyReading.start(unreachable, 'heads')
        take(settings(unreachable))

        then:
        def early = thrown(FhirmigException)

        when:
        settings(unreachable).builder(dir.resolve('server')).load().withCloseable { it.prefetch() }

        then:
        def own = thrown(FhirmigException)
        early.message == own.message
        early.kind() == own.kind()
    }

    def "an early reading is the command's only when server, namespace, security, migrations and cache are the same (#change)"() {
        given:
        def base = new Settings('http://a/fhir', Path.of('versions'), 'n', Path.of('templates'), false,
                ConnectionSecurity.none(), Path.of('.fhirmig/cache'), Duration.ofSeconds(10), Duration.ofMinutes(5))
        def other = new Settings(values.url ?: base.url(), values.versions ?: base.versions(), values.namespace ?: base.namespace(),
                values.templates ?: base.templates(), false, values.security ?: base.security(),
                values.containsKey('cache') ? values.cache : base.cache(), base.connectTimeout(),
                values.readTimeout ?: base.readTimeout())

        expect:
        EarlyReading.sameSettings(base, other) == same
        EarlyReading.sameSettings(base, base)

        where:
        change          | values                                                                                      | same
        'nothing'       | [:]                                                                                         | true
        'templates'     | [templates: Path.of('other')]                                                               | false
        'url'           | [url: 'http://b/fhir']                                                                      | false
        'namespace'     | [namespace: 'm']                                                                            | false
        'versions'      | [versions: Path.of('other')]                                                                | false
        'read timeout'  | [readTimeout: Duration.ofSeconds(1)]                                                        | false
        'cache'         | [cache: null]                                                                               | false
        'token'         | [security: new ConnectionSecurity(new Credentials.BearerToken('t', null), null, [:])]       | false
        'CA file'       | [security: new ConnectionSecurity(new Credentials.None(), Path.of('ca.pem'), [:])]          | false
        'headers'       | [security: new ConnectionSecurity(new Credentials.None(), null, ['X-A': '1'])]              | false
    }

    def "the same token from the same source is the same setting, and never shown"() {
        expect:
        new Credentials.BearerToken('t', null) == new Credentials.BearerToken('t', null)
        !new Credentials.BearerToken('secret-t', null).toString().contains('secret-t')
        !new Credentials.Basic('u', 'secret-p', null).toString().contains('secret-p')
        !new Credentials.ClientSecret('http://t', 'c', 'secret-s', null, null).toString().contains('secret-s')
    }
}
