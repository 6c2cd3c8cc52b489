package io.fhirmig.cli

import groovy.json.JsonOutput
import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.secure.OriginServer
import io.fhirmig.secure.RawHttpServer
import java.nio.file.Path
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.DateTimeType
import org.hl7.fhir.r4.model.Extension
import org.hl7.fhir.r4.model.StringType
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Text from a server is data: escape sequences in an OperationOutcome's diagnostics, a reason phrase
 * or a lock owner reach the console as visible escapes ({@code \e}), never as control characters, and
 * server text is cut to a sane length (a state with 200,000 heads gives no megabyte line).
 */
class ServerTextSpec extends Specification {

    static final String ESC = '\u001b'
    /** Clears the screen, sets the window title, and forges a line that looks like fhirmig's. */
    static final String NASTY = ESC + '[2J' + ESC + ']0;owned\u0007' + ESC + '[32mall good\r\nerror: forged'
    static final String SHOWN = '\\e[2J\\e]0;owned\\a\\e[32mall good\\r\\nerror: forged'

    @TempDir Path versions
    @AutoCleanup OriginServer server = new OriginServer()
    String ns = ServerProbe.unique('text')

    def setup() {
        server.forwardTo = TestServer.baseUrl()
        Scripts.chain(versions, ['t1'])
    }

    private Cli.Result run(String url, String... command) {
        Cli.run(*(command as List<String>), '--url', url, '--versions', versions.toString(), '--namespace', ns)
    }

    private static boolean clean(String text) {
        !text.contains(ESC) && !text.contains('\u0007') && !text.contains('\r')
    }

    def "an OperationOutcome's diagnostics with escape sequences are shown escaped, in one line"() {
        given:
        def outcome = JsonOutput.toJson([resourceType: 'OperationOutcome',
                                         issue: [[severity: 'error', code: 'processing', diagnostics: NASTY]]])
        server.handler = { OriginServer.Seen r -> OriginServer.answer(500, ['Content-Type': 'application/fhir+json'], outcome) }

        when:
        def result = run(server.baseUrl(), 'current')

        then:
        result.code == 4
        result.err.readLines().size() == 1
        result.err.contains(SHOWN)
        clean(result.err)
    }

    def "a reason phrase with escape sequences is shown escaped"() {
        given:
        def raw = new RawHttpServer("400 ${ESC}[31mRED${ESC}]0;title\u0007", 'text/plain', 'no')

        when:
        def result = run(raw.baseUrl(), 'current')

        then:
        result.code == 4
        result.err.readLines().size() == 1
        result.err.contains(': HTTP 400 \\e[31mRED\\e]0;title\\a')
        clean(result.err)

        cleanup:
        raw?.close()
    }

    def "a lock owner with escape sequences is shown escaped, and a long one cut, by current, check and a locked upgrade"() {
        given:
        assert run(TestServer.baseUrl(), 'upgrade').code == 0
        Basic state = ServerProbe.basicsWithSystem('urn:fhirmig:state').find { it.identifierFirstRep.value == ns }
        Extension lock = state.addExtension().setUrl('urn:fhirmig:lock')
        lock.addExtension('owner', new StringType(NASTY + 'x' * 5000))
        lock.addExtension('step', new StringType('upgrade t2'))
        lock.addExtension('expiresAt', new DateTimeType(new Date(System.currentTimeMillis() + 600_000)))
        TestServer.newClient().update().resource(state).execute()
        Scripts.write(versions, '0002_t2.groovy', Scripts.marking('t2', 't1'))

        when:
        def current = run(TestServer.baseUrl(), 'current')
        def check = run(TestServer.baseUrl(), 'check')
        def upgrade = run(TestServer.baseUrl(), 'upgrade')

        then:
        current.out.contains('locked by ' + SHOWN)
        check.out.contains('locked by ' + SHOWN)
        upgrade.code == 5
        upgrade.err.readLines().size() == 1
        upgrade.err.contains('is locked by ' + SHOWN)
        [current.out, current.err, check.out, upgrade.err].every { clean(it) && it.length() < 2000 }
        upgrade.err.contains('more characters)')
    }

    def "a state with 200,000 heads gives one short error line, not megabytes"() {
        given:
        assert run(TestServer.baseUrl(), 'upgrade').code == 0
        def heads = (1..200_000).collect { [url: 'urn:fhirmig:head', valueString: "h${it}-0123456789".toString()] }
        server.handler = { OriginServer.Seen r ->
            if (r.method != 'GET' || !r.target.contains('urn%3Afhirmig%3Astate')) {
                return null
            }
            def state = [resourceType: 'Basic', id: '1', meta: [versionId: '1'],
                         extension: [[url: 'urn:fhirmig:format', valueInteger: 1]] + heads,
                         identifier: [[system: 'urn:fhirmig:state', value: ns]]]
            OriginServer.answer(200, ['Content-Type': 'application/fhir+json'],
                    JsonOutput.toJson([resourceType: 'Bundle', type: 'searchset', entry: [[resource: state]]]))
        }

        when:
        def result = run(server.baseUrl(), 'upgrade')

        then: 'exit 3: the heads are declared by no script'
        result.code == 3
        result.err.readLines().size() == 1
        result.err.length() < 2000
        result.err.contains(' and 199995 more')
    }
}
