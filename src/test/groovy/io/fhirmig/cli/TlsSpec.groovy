package io.fhirmig.cli

import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.fhir.embedded.EmbeddedFhirServer
import io.fhirmig.fhir.embedded.EmbeddedServerOptions
import io.fhirmig.secure.TestCertificates
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A server whose certificate a private CA signed: its own embedded server over HTTPS with a test CA
 * made by keytool. fhirmig trusts the system's CAs only, unless given the private CA with --ca-file.
 */
class TlsSpec extends Specification {

    @Shared @TempDir Path pki
    @Shared TestCertificates certificates
    @Shared EmbeddedFhirServer server

    @TempDir Path versions
    String ns = ServerProbe.unique('tls')

    def setupSpec() {
        certificates = TestCertificates.create(pki)
        server = EmbeddedFhirServer.start(EmbeddedServerOptions.inMemory()
                .withTls(certificates.serverKeyStore, TestCertificates.PASSWORD))
    }

    def cleanupSpec() {
        server?.close()
    }

    def "the server is served over HTTPS"() {
        expect:
        server.baseUrl().startsWith('https://127.0.0.1:')
    }

    def "with the private CA given by --ca-file, upgrade works over HTTPS"() {
        given:
        Scripts.chain(versions, ['s1', 's2'])

        when:
        def upgrade = fhirmig([:], 'upgrade', '--ca-file', certificates.caPem)
        def current = fhirmig([:], 'current', '--ca-file', certificates.caPem)

        then:
        upgrade.code == 0
        current.code == 0
        current.out.contains('s2')
    }

    def "the CA may also come from FHIRMIG_CA_FILE"() {
        given:
        Scripts.chain(versions, ['v1'])

        expect:
        fhirmig([FHIRMIG_CA_FILE: certificates.caPem.toString()], 'upgrade').code == 0
    }

    def "without the private CA, or with another CA, fhirmig refuses the server: exit 4 saying to give --ca-file"() {
        given:
        Scripts.chain(versions, ['x1'])

        when:
        def run = fhirmig([:], 'upgrade', *args)

        then:
        run.code == 4
        run.err == "error: the FHIR server's certificate at ${server.baseUrl()} is not trusted (no trusted CA signed it):" +
                " give the certificate of its CA with --ca-file FILE (FHIRMIG_CA_FILE)\n"

        where:
        args << [[], ['--ca-file', 'STRANGER']]
    }

    def "a CA file that holds no certificate is bad usage (exit 2)"() {
        given:
        Path notPem = Files.writeString(versions.resolve('not-a-cert.pem'), 'hello\n')

        when:
        def run = fhirmig([:], 'current', '--ca-file', notPem)
        def missing = fhirmig([:], 'current', '--ca-file', versions.resolve('nowhere.pem'))

        then:
        run.code == 2
        run.err.startsWith("error: CA file ${notPem} holds no certificate")
        missing.code == 2
        missing.err.startsWith("error: CA file ${versions.resolve('nowhere.pem')} does not exist")
    }

    private CliRun fhirmig(Map<String, String> env, Object... args) {
        List<Object> resolved = args.collect { it == 'STRANGER' ? certificates.strangerCaPem : it }
        EnvCli.run(env, [*resolved, '--url', server.baseUrl(), '--versions', versions, '--namespace', ns])
    }
}
