package io.fhirmig.cli

import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.fhir.embedded.EmbeddedFhirServer
import io.fhirmig.fhir.embedded.EmbeddedServerOptions
import io.fhirmig.secure.ClientKeys
import io.fhirmig.secure.CredentialGate
import io.fhirmig.secure.LogCapture
import io.fhirmig.secure.TokenEndpointServer
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.Bundle
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * fhirmig against a server that lets in only valid credentials: its own embedded server with a HAPI
 * interceptor that checks every request's Authorization header, and a token endpoint on loopback that
 * checks client secrets and SMART Backend Services JWT assertions and issues the tokens the server
 * accepts. Every way to authenticate runs a real upgrade; refused credentials exit 4 naming the method;
 * no secret ever shows in output, logs (even with -v) or the audit file.
 */
class AuthenticationSpec extends Specification {

    static final String STATIC_TOKEN = 'static-Token-b41c2e90'
    static final String PASSWORD = 'pw-Hunter2-9d8e77'
    static final String CLIENT_SECRET = 'cs-Very-Secret-7f3a9c'
    static final Path AUDIT_FILE = Path.of(System.getProperty('fhirmig.audit.file', '.fhirmig/audit.log'))

    @Shared CredentialGate gate = new CredentialGate()
    @Shared EmbeddedFhirServer server
    @Shared TokenEndpointServer tokens
    @Shared @TempDir Path keys
    @Shared Path rsaPem
    @Shared Path ecJwks
    @Shared Path strangerPem
    @Shared Path tokenFile

    @TempDir Path versions
    @TempDir Path work
    String ns = ServerProbe.unique('auth')
    List<String> printed = []

    def setupSpec() {
        server = EmbeddedFhirServer.start(EmbeddedServerOptions.inMemory().withInterceptor(gate))
        tokens = new TokenEndpointServer(gate)
        tokens.registerSecret('migrator-secret', CLIENT_SECRET)
        def rsa = ClientKeys.rsa()
        tokens.registerKey('migrator-rsa', 'rsa-key-1', rsa.public)
        rsaPem = ClientKeys.writePem(keys.resolve('client.pem'), rsa)
        def ec = ClientKeys.ecP384()
        tokens.registerKey('migrator-ec', 'ec-key-1', ec.public)
        ecJwks = ClientKeys.writeJwks(keys.resolve('client.jwks.json'), ec, 'ec-key-1')
        strangerPem = ClientKeys.writePem(keys.resolve('stranger.pem'), ClientKeys.rsa())
        tokenFile = Files.writeString(keys.resolve('token.txt'), STATIC_TOKEN + '\n')
        gate.accept(STATIC_TOKEN, Instant.now().plusSeconds(3600))
        gate.acceptBasic('migrator', PASSWORD)
    }

    def cleanupSpec() {
        tokens?.stop()
        server?.close()
    }

    def "upgrade works with each way to authenticate: #method"() {
        given:
        Scripts.chain(versions, ['a1', 'a2', 'a3'])
        int issuedBefore = tokens.issued.size()
        int refusedBefore = gate.refused.get()

        when:
        def upgrade = fhirmig(env, 'upgrade', *args)
        int issuedByUpgrade = tokens.issued.size() - issuedBefore
        def current = fhirmig(env, 'current', '--json', *args)

        then:
        upgrade.code == 0
        current.code == 0
        current.out.contains('a3')
        markers() == ['a1:upgrade', 'a2:upgrade', 'a3:upgrade']

        and: 'one token served the whole upgrade, and nothing was refused'
        issuedByUpgrade == tokensFetched
        gate.refused.get() == refusedBefore
        tokens.issued.drop(issuedBefore).every { it == env.FHIRMIG_CLIENT_ID }

        and:
        noSecretIn(printed + [auditText()], [STATIC_TOKEN, PASSWORD, CLIENT_SECRET, pemBody(rsaPem), jwkPrivate(ecJwks)])

        where:
        method                         | env                                                        | args                    | tokensFetched
        'bearer token'                 | [FHIRMIG_TOKEN: STATIC_TOKEN]                              | []                      | 0
        'bearer token from a file'     | [:]                                                        | ['--token-file', tokenFile] | 0
        'basic'                        | [FHIRMIG_USER: 'migrator', FHIRMIG_PASSWORD: PASSWORD]     | []                      | 0
        'client secret'                | oauth('migrator-secret', [FHIRMIG_CLIENT_SECRET: CLIENT_SECRET]) | []                | 1
        'RS384 key in a PEM file'      | oauth('migrator-rsa', [FHIRMIG_CLIENT_KEY: rsaPem.toString(), FHIRMIG_CLIENT_KEY_ID: 'rsa-key-1']) | [] | 1
        'ES384 key in a JWKS file'     | oauth('migrator-ec', [FHIRMIG_CLIENT_KEY: ecJwks.toString()]) | []                   | 1
    }

    def "the library can authenticate every way the command line can: #method"() {
        given:
        Scripts.chain(versions, ['l1', 'l2'])
        int issuedBefore = tokens.issued.size()
        int refusedBefore = gate.refused.get()
        def builder = io.fhirmig.Fhirmig.configure().url(server.baseUrl()).versions(versions).namespace(ns)
                .header('X-Tenant-ID', 'acme-lib')
        configure(builder)

        when:
        def result
        try (def fhirmig = builder.load()) {
            result = fhirmig.upgrade()
        }

        then:
        result.steps()*.revision() == ['l1', 'l2']
        markers() == ['l1:upgrade', 'l2:upgrade']
        tokens.issued.size() - issuedBefore == tokensFetched
        gate.refused.get() == refusedBefore
        gate.tenants.contains('acme-lib')

        where:
        method                     | tokensFetched | configure
        'bearer token from a file' | 0             | { b -> b.bearerTokenFile(tokenFile) }
        'client secret'            | 1             | { b -> b.clientSecret(tokens.url(), 'migrator-secret', CLIENT_SECRET, null) }
        'RS384 key in a PEM file'  | 1             | { b -> b.clientKey(tokens.url(), 'migrator-rsa', rsaPem, 'rsa-key-1', null) }
        'ES384 key in a JWKS file' | 1             | { b -> b.clientKey(tokens.url(), 'migrator-ec', ecJwks, null, null) }
    }

    def "the library refuses two ways to authenticate at once, and an Authorization header"() {
        when:
        io.fhirmig.Fhirmig.configure().url(server.baseUrl()).versions(versions).namespace(ns)
                .bearerTokenFile(tokenFile).basicAuth('migrator', PASSWORD).load()

        then:
        def twice = thrown(io.fhirmig.api.FhirmigException)
        twice.kind() == io.fhirmig.api.FhirmigException.Kind.USAGE
        twice.message.startsWith('more than one way to authenticate is configured')

        when:
        io.fhirmig.Fhirmig.configure().header('Authorization', 'Bearer x')

        then:
        def header = thrown(io.fhirmig.api.FhirmigException)
        header.message.contains('the Authorization header comes from the authentication settings')
    }

    def "refused credentials exit 4 saying authentication failed with #method, and no secret shows"() {
        given:
        Scripts.chain(versions, ['r1'])
        def log = new LogCapture()

        when: 'run with -v, which shows debug output and stack traces'
        def run = fhirmig(env, 'upgrade', '-v')
        log.close()

        then:
        run.code == 4
        run.err.readLines().find { it.startsWith('error: ') } ==~ /error: authentication failed \(${method}\) at \Q${atToken ? tokens.url() : server.baseUrl()}\E: ${detail}.*/
        markers() == []

        and: 'the log holds the stack trace that -v shows, and no secret'
        log.text().contains('AuthenticationFailedException')
        noSecretIn([run.out, run.err, log.text(), auditText()], [secret])

        where:
        method                                  | env                                                              | secret                  | atToken | detail
        'bearer token'                          | [FHIRMIG_TOKEN: 'static-Token-WRONG-31']                         | 'static-Token-WRONG-31' | false   | 'HTTP 401'
        'basic'                                 | [FHIRMIG_USER: 'migrator', FHIRMIG_PASSWORD: 'pw-WRONG-4417']    | 'pw-WRONG-4417'         | false   | 'HTTP 401'
        'client credentials with secret'        | oauth('migrator-secret', [FHIRMIG_CLIENT_SECRET: 'cs-WRONG-5521']) | 'cs-WRONG-5521'       | true    | 'the token endpoint answered HTTP 401 \\(invalid_client: client secret does not match\\)'
        'client credentials with JWT assertion' | oauth('migrator-rsa', [FHIRMIG_CLIENT_KEY: strangerPem.toString(), FHIRMIG_CLIENT_KEY_ID: 'rsa-key-1']) | pemBody(strangerPem) | true | 'the token endpoint answered HTTP 401 \\(invalid_client: the signature does not verify\\)'
    }

    def "a server asking for credentials when none are configured: exit 4 saying what to set"() {
        given:
        Scripts.chain(versions, ['n1'])

        when:
        def run = fhirmig([:], 'upgrade')

        then:
        run.code == 4
        run.err.startsWith("error: authentication failed (no credentials configured) at ${server.baseUrl()}: HTTP 401")
        run.err.contains('set FHIRMIG_TOKEN, FHIRMIG_USER and FHIRMIG_PASSWORD, or FHIRMIG_TOKEN_URL')
        run.err.readLines().size() == 1
    }

    def "a token the server stops accepting before its time is fetched again, once, and the run goes on"() {
        given: 'the first token is refused by the server after four requests, though the endpoint said an hour'
        Scripts.chain(versions, ['e1', 'e2', 'e3'])
        tokens.nextTokenUses = 4
        int issuedBefore = tokens.issued.size()
        int refusedBefore = gate.refused.get()

        when:
        def run = fhirmig(oauth('migrator-secret', [FHIRMIG_CLIENT_SECRET: CLIENT_SECRET]), 'upgrade')

        then:
        run.code == 0
        markers() == ['e1:upgrade', 'e2:upgrade', 'e3:upgrade']
        tokens.issued.size() - issuedBefore == 2
        gate.refused.get() - refusedBefore == 1
    }

    def "a request of a migration that the server forbids exits 4 naming the script, not as a failed migration"() {
        given: 'the server forbids this client any Patient'
        Scripts.write(versions, '0001_p1.groovy', Scripts.marking('p1', null,
                "fhir.search().forResource(Patient).returnBundle(Bundle).execute()"))

        when:
        def run = fhirmig([FHIRMIG_TOKEN: STATIC_TOKEN], 'upgrade')

        then:
        run.code == 4
        run.err.startsWith("error: 0001_p1.groovy: authentication failed (bearer token) at ${server.baseUrl()}: HTTP 403")
        run.err.contains('lack the permission (scope) this request needs')
        markers() == []
    }

    def "a secret in the settings file is refused, without repeating it"() {
        given:
        Path config = Files.writeString(work.resolve('fhirmig.properties'), "${key}=${value}\n")

        when:
        def run = fhirmig([:], 'current', '--config', config)

        then:
        run.code == 2
        run.err.startsWith("error: the settings file sets '${key}', but secrets are never read from it")
        run.err.contains(instead)
        !run.err.contains(value)

        where:
        key            | value             | instead
        'token'        | 'tok-in-file-1'   | 'FHIRMIG_TOKEN, or a file named by tokenFile / --token-file'
        'password'     | 'pw-in-file-2'    | 'FHIRMIG_PASSWORD, or a file named by passwordFile'
        'clientSecret' | 'cs-in-file-3'    | 'FHIRMIG_CLIENT_SECRET, or a file named by clientSecretFile'
    }

    def "settings from the settings file and the environment: client credentials with a secret file"() {
        given:
        Scripts.chain(versions, ['f1'])
        Path secretFile = Files.writeString(work.resolve('client-secret'), CLIENT_SECRET + '\n')
        Path config = Files.writeString(work.resolve('fhirmig.properties'), """\
tokenUrl=${tokens.url()}
clientId=migrator-secret
clientSecretFile=${secretFile}
scope=system/*.cruds
""")

        when:
        def run = fhirmig([:], 'upgrade', '--config', config)

        then:
        run.code == 0
        markers() == ['f1:upgrade']
        tokens.scopes.last() == 'system/*.cruds'
    }

    def "an extra header goes with every request, e.g. a tenant header"() {
        given:
        Scripts.chain(versions, ['t1'])
        int seenBefore = gate.tenants.size()

        when:
        def run = fhirmig([FHIRMIG_TOKEN: STATIC_TOKEN], 'upgrade', '--header', 'X-Tenant-ID: acme')

        then:
        run.code == 0
        gate.tenants.size() > seenBefore
        gate.tenants.drop(seenBefore).every { it == 'acme' }
    }

    def "two ways to authenticate at once are refused, naming both"() {
        when:
        def run = fhirmig([FHIRMIG_TOKEN: STATIC_TOKEN, FHIRMIG_USER: 'migrator', FHIRMIG_PASSWORD: PASSWORD], 'current')

        then:
        run.code == 2
        run.err.startsWith('error: more than one way to authenticate is configured: a bearer token (FHIRMIG_TOKEN or a token file), basic (FHIRMIG_USER / FHIRMIG_PASSWORD); keep one')
        !run.err.contains(STATIC_TOKEN)
        !run.err.contains(PASSWORD)
    }

    def "the Java API's bearerToken goes through the same connection: a refusal names the method"() {
        given:
        Scripts.chain(versions, ['j1'])
        def configure = { String token ->
            io.fhirmig.Fhirmig.configure().url(server.baseUrl()).versions(versions).namespace(ns).bearerToken(token).load()
        }

        when:
        configure('static-Token-WRONG-77').withCloseable { it.upgrade() }

        then:
        def e = thrown(io.fhirmig.api.FhirmigException)
        e.kind() == io.fhirmig.api.FhirmigException.Kind.SERVER
        e.message.startsWith("authentication failed (bearer token) at ${server.baseUrl()}: HTTP 401")
        !e.message.contains('static-Token-WRONG-77')

        when:
        def result = configure(STATIC_TOKEN).withCloseable { it.upgrade() }

        then:
        result != null
        markers() == ['j1:upgrade']
    }

    // --- helpers

    private Map<String, String> oauth(String clientId, Map<String, String> more) {
        [FHIRMIG_TOKEN_URL: tokens.url(), FHIRMIG_CLIENT_ID: clientId] + more
    }

    private CliRun fhirmig(Map<String, String> env, Object... args) {
        def run = EnvCli.run(env, [*args, '--url', server.baseUrl(), '--versions', versions, '--namespace', ns])
        printed << run.out << run.err
        run
    }

    /** The markers the migrations left, read with a client of the test's own. */
    private List<String> markers() {
        def client = TestServer.fhirContext().newRestfulGenericClient(server.baseUrl())
        client.registerInterceptor(new BearerTokenAuthInterceptor(STATIC_TOKEN))
        Bundle found = client.search().byUrl('Basic?identifier=' + ServerProbe.enc(ServerProbe.markerSystem(ns) + '|'))
                .returnBundle(Bundle).execute()
        found.entry.collect { ((Basic) it.getResource()).getIdentifierFirstRep().getValue() }.sort()
    }

    private static String auditText() {
        Files.exists(AUDIT_FILE) ? Files.readString(AUDIT_FILE) : ''
    }

    /** A line from the middle of a PEM key: if any of the key were printed, this would be. */
    private static String pemBody(Path pem) {
        Files.readAllLines(pem)[3]
    }

    private static String jwkPrivate(Path jwks) {
        new groovy.json.JsonSlurper().parse(jwks.toFile()).keys[0].d
    }

    private static void noSecretIn(List<String> texts, List<String> secrets) {
        secrets.findAll { it }.each { secret ->
            texts.eachWithIndex { text, i ->
                assert !text.contains(secret): "a secret shows in output ${i}"
            }
        }
    }
}
