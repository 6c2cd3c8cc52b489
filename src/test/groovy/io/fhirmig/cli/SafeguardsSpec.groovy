package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.fhir.ConnectionOptions
import io.fhirmig.fhir.FhirConnection
import io.fhirmig.fhir.auth.Authentication
import io.fhirmig.fhir.auth.Secret
import io.fhirmig.secure.LogCapture
import io.fhirmig.secure.OriginServer
import io.fhirmig.secure.TestCertificates
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The smaller safeguards: a warning for credentials over plain http to another machine, a size limit
 * on script files, a password with '@' never shown, an expired certificate named as such, a warning
 * naming an unknown key of fhirmig.properties.
 */
class SafeguardsSpec extends Specification {

    @Shared @TempDir Path pki
    @Shared TestCertificates certificates

    @TempDir Path project
    Path versions
    String ns = ServerProbe.unique('safe')

    def setupSpec() {
        certificates = TestCertificates.create(pki)
    }

    def setup() {
        versions = Files.createDirectories(project.resolve('versions'))
    }

    def "credentials over plain http to #url #outcome"() {
        given:
        def options = ConnectionOptions.of(url).withSecurity(new Authentication.BearerToken(Secret.of('tok-Plain-1')), null, [:])

        when:
        def log = new LogCapture()
        FhirConnection.open(options)
        log.close()

        then:
        log.text().contains('sending credentials over plain http to') == warned
        !log.text().contains('tok-Plain-1')

        where:
        url                             | warned
        'http://fhir.example.org/fhir'  | true
        'http://192.0.2.10:8080/fhir'   | true
        'https://fhir.example.org/fhir' | false
        'http://localhost:8080/fhir'    | false
        'http://127.0.0.1:8080/fhir'    | false
        'http://[::1]:8080/fhir'        | false
        outcome = warned ? 'are sent with a warning' : 'need no warning'
    }

    def "a 3 GB script file is an invalid script (exit 3), not an OutOfMemoryError"() {
        given:
        Scripts.chain(versions, ['s1'])
        new RandomAccessFile(versions.resolve('0002_huge.groovy').toFile(), 'rw').withCloseable { it.setLength(3L << 30) }

        when:
        def run = Cli.on(ns, versions, 'upgrade')

        then:
        run.code == 3
        run.err.contains('0002_huge.groovy')
        run.err.contains('it is 3072 MB, and a script file may be at most 10 MB')
        !run.err.contains('OutOfMemory')
    }

    def "a URL with '@' in its password shows no part of the password in errors"() {
        when:
        def run = Cli.run('current', '--url', 'http://migrator:pa@ss-W0rd@127.0.0.1:1/fhir', '--versions',
                versions.toString(), '--connect-timeout', '1s')

        then:
        run.code in [2, 4]
        run.err.readLines().size() == 1
        !run.err.contains('pa@')
        !run.err.contains('ss-W0rd')
        !run.err.contains('migrator')
    }

    def "an expired certificate is reported as expired, not as signed by no trusted CA"() {
        given:
        Scripts.chain(versions, ['e1'])
        def server = new OriginServer(certificates.expiredKeyStore, TestCertificates.PASSWORD)

        when:
        def run = Cli.run('current', '--url', server.baseUrl(), '--ca-file', certificates.caPem.toString(),
                '--versions', versions.toString(), '--namespace', ns)

        then:
        run.code == 4
        run.err.readLines().size() == 1
        run.err.startsWith("error: the FHIR server's certificate at ${server.baseUrl()} has expired")
        !run.err.contains('no trusted CA')

        cleanup:
        server?.close()
    }

    def "an unknown key of fhirmig.properties is named in a warning, with the key it may mean"() {
        given:
        Scripts.chain(versions, ['k1'])
        def config = Files.writeString(project.resolve('fhirmig.properties'),
                "url = ${TestServer.baseUrl()}\nnamspace = ${ns}\nclient_secret = cs-Typo-77\nheader.X-Tenant-ID = acme\n")

        when:
        def log = new LogCapture()
        def run = Cli.run('heads', '--config', config.toString(), '--versions', versions.toString())
        log.close()

        then:
        run.code == 0
        log.text().contains("unknown key 'namspace', ignored (did you mean namespace?")
        log.text().contains("unknown key 'client_secret', ignored (no key: secrets are never read from this file")
        !log.text().contains("unknown key 'url'")
        !log.text().contains("unknown key 'header.X-Tenant-ID'")
        !log.text().contains('cs-Typo-77')
    }
}
