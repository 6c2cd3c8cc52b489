package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.secure.OriginServer
import io.fhirmig.secure.TestCertificates
import java.nio.file.Path
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import static io.fhirmig.secure.OriginServer.answer

/**
 * Credentials go only to the configured server's origin and the token endpoint's. A misbehaving server
 * (a small HTTP server on loopback, passing what it does not twist on to the test server) points
 * fhirmig elsewhere, by a redirect, an https to http redirect, a next link in the state's records
 * search or in forEach's paging, and a token endpoint's 303: each time fhirmig refuses with exit 4
 * naming both URLs, and the other origin receives nothing, so no credential.
 */
class CredentialOriginSpec extends Specification {

    static final String TOKEN = 'tok-Origin-5b7d1c'
    static final String TENANT = 'X-Tenant-ID'
    static final List<String> CREDENTIALS = ['Authorization', TENANT, 'Cookie']

    @Shared @TempDir Path pki
    @Shared TestCertificates certificates

    @TempDir Path versions
    @AutoCleanup OriginServer evil = new OriginServer()
    @AutoCleanup OriginServer other = new OriginServer()
    String ns = ServerProbe.unique('origin')

    def setupSpec() {
        certificates = TestCertificates.create(pki)
    }

    def setup() {
        evil.forwardTo = TestServer.baseUrl()
        other.forwardTo = TestServer.baseUrl()
    }

    private CliRun fhirmig(String url, Map<String, String> env = [FHIRMIG_TOKEN: TOKEN], String... command) {
        EnvCli.run(env, [*command, '--url', url, '--header', "${TENANT}: acme", '--versions', versions, '--namespace', ns])
    }

    def "a redirect to another origin is refused: exit 4 naming both URLs; the other origin receives nothing"() {
        given:
        Scripts.chain(versions, ['r1'])
        evil.handler = { OriginServer.Seen r -> answer(302, [Location: other.origin() + r.target]) }

        when:
        def run = fhirmig(evil.baseUrl(), 'current')

        then:
        run.code == 4
        run.err.readLines().size() == 1
        run.err.startsWith("error: the FHIR server at ${evil.baseUrl()} redirected (HTTP 302) ${evil.baseUrl()}/Basic?")
        run.err.contains(" to ${other.baseUrl()}/Basic?")
        run.err.contains("another origin; fhirmig sends its credentials only to ${evil.origin()}, so it did not follow")
        other.requests.empty
        evil.requests*.header('Authorization').every { it == "Bearer ${TOKEN}" }
    }

    def "a redirect within the server's own origin is followed, with the credentials"() {
        given:
        Scripts.chain(versions, ['r1'])
        Set<String> redirected = [] as Set
        evil.handler = { OriginServer.Seen r ->
            r.method == 'GET' && redirected.add(r.target) ? answer(307, [Location: r.target]) : null
        }

        when:
        def run = fhirmig(evil.baseUrl(), 'upgrade')

        then:
        run.code == 0
        !redirected.empty
        evil.requests.every { it.header('Authorization') == "Bearer ${TOKEN}" && it.header(TENANT) == 'acme' }
    }

    def "a redirect from https to http is never followed: exit 4 naming both URLs"() {
        given:
        Scripts.chain(versions, ['r1'])
        def secure = new OriginServer(certificates.serverKeyStore, TestCertificates.PASSWORD)
        secure.handler = { OriginServer.Seen r -> answer(301, [Location: other.origin() + r.target]) }

        when:
        def run = EnvCli.run([FHIRMIG_TOKEN: TOKEN], ['current', '--url', secure.baseUrl(), '--ca-file',
                certificates.caPem, '--header', "${TENANT}: acme", '--versions', versions, '--namespace', ns])

        then:
        run.code == 4
        run.err.readLines().size() == 1
        run.err.startsWith("error: the FHIR server at ${secure.baseUrl()} redirected (HTTP 301) ${secure.baseUrl()}/Basic?")
        run.err.contains(" to ${other.baseUrl()}/Basic?")
        run.err.contains('(https to http, which is never followed)')
        other.requests.empty

        cleanup:
        secure?.close()
    }

    def "a next link to another origin in the state's records search is refused: exit 4; the other origin receives nothing"() {
        given: 'a namespace with applied migrations, read through the misbehaving server'
        Scripts.chain(versions, ['n1', 'n2'])
        assert Cli.on(ns, versions, 'upgrade').code == 0
        evil.handler = { OriginServer.Seen r ->
            r.method == 'GET' && r.target.contains('urn%3Afhirmig%3Aapplied') && !r.target.contains('_summary')
                    ? answer(200, ['Content-Type': 'application/fhir+json'], nextPageElsewhere(other.baseUrl())) : null
        }

        when:
        def run = fhirmig(evil.baseUrl(), 'history')

        then:
        run.code == 4
        run.err.readLines().size() == 1
        run.err.startsWith("error: the FHIR server at ${evil.baseUrl()} gave a next-page link to another origin,"
                + " ${other.baseUrl()}?_getpages=stolen")
        run.err.contains("fhirmig sends its credentials only to ${evil.origin()}, so it did not follow it")
        other.requests.empty
    }

    def "a next link to another origin in forEach's paging is refused: exit 4; the other origin receives nothing"() {
        given:
        Scripts.write(versions, '0001_walk.groovy', Scripts.marking('w1', null,
                "migration.forEach('Patient?name=nobody-${ns}') { it }"))
        evil.handler = { OriginServer.Seen r ->
            r.method == 'GET' && r.target.startsWith('/fhir/Patient?')
                    ? answer(200, ['Content-Type': 'application/fhir+json'], nextPageElsewhere(other.baseUrl())) : null
        }

        when:
        def run = fhirmig(evil.baseUrl(), 'upgrade')

        then:
        run.code == 4
        run.err.readLines().size() == 1
        run.err.startsWith('error: 0001_walk.groovy: the FHIR server at')
        run.err.contains("gave a next-page link to another origin, ${other.baseUrl()}?_getpages=stolen")
        other.requests.empty
        Cli.on(ns, versions, 'current').out.contains('base')
    }

    def "the token endpoint's redirect (303) is not followed: exit 4; the other origin receives no client secret"() {
        given:
        Scripts.chain(versions, ['t1'])
        def tokens = new OriginServer()
        tokens.handler = { OriginServer.Seen r -> answer(303, [Location: other.origin() + '/token']) }
        def env = [FHIRMIG_TOKEN_URL: tokens.origin() + '/token', FHIRMIG_CLIENT_ID: 'migrator',
                   FHIRMIG_CLIENT_SECRET: 'cs-Never-Elsewhere-1']

        when:
        def run = fhirmig(TestServer.baseUrl(), env, 'current')

        then:
        run.code == 4
        run.err.readLines().size() == 1
        run.err.startsWith("error: the token endpoint at ${tokens.origin()}/token answered HTTP 303 (a redirect to "
                + "${other.origin()}/token), which fhirmig does not follow")
        !run.err.contains('cs-Never-Elsewhere-1')
        tokens.requests.size() == 1
        tokens.requests[0].header('Authorization').startsWith('Basic ')
        other.requests.empty

        cleanup:
        tokens?.close()
    }

    def "a request a script sends to another origin carries no credential and no extra header"() {
        given:
        Scripts.write(versions, '0001_elsewhere.groovy', Scripts.marking('e1', null,
                "fhir.search().byUrl('${other.baseUrl()}/Patient?name=x').returnBundle(Bundle).execute()"))

        when:
        def run = fhirmig(TestServer.baseUrl(), 'upgrade')

        then:
        run.code == 0
        other.requests.size() == 1
        !other.receivedAnyOf(CREDENTIALS)
    }

    private static String nextPageElsewhere(String otherBase) {
        """{"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"x"},""" +
                """{"relation":"next","url":"${otherBase}?_getpages=stolen"}],"entry":[]}"""
    }
}
