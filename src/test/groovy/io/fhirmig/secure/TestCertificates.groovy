package io.fhirmig.secure

import java.nio.file.Files
import java.nio.file.Path

/**
 * A test CA and a server certificate it signed for 127.0.0.1, made with the JDK's keytool as an
 * operator would: the CA's certificate as PEM (what --ca-file takes) and the server's PKCS#12 key store.
 */
final class TestCertificates {

    static final String PASSWORD = 'changeit-test'

    final Path caPem
    final Path serverKeyStore
    final Path strangerCaPem
    /** A key store like the server's, whose certificate (signed by the same CA) expired weeks ago. */
    final Path expiredKeyStore

    private TestCertificates(Path caPem, Path serverKeyStore, Path strangerCaPem, Path expiredKeyStore) {
        this.caPem = caPem
        this.serverKeyStore = serverKeyStore
        this.strangerCaPem = strangerCaPem
        this.expiredKeyStore = expiredKeyStore
    }

    static TestCertificates create(Path dir) {
        Path ca = dir.resolve('ca.p12')
        Path server = dir.resolve('server.p12')
        Path stranger = dir.resolve('stranger.p12')
        keytool('-genkeypair', '-alias', 'ca', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=fhirmig test CA',
                '-ext', 'bc:c', '-validity', '2', '-keystore', ca)
        keytool('-exportcert', '-rfc', '-alias', 'ca', '-keystore', ca, '-file', dir.resolve('ca.pem'))
        keytool('-genkeypair', '-alias', 'stranger', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=another CA',
                '-ext', 'bc:c', '-validity', '2', '-keystore', stranger)
        keytool('-exportcert', '-rfc', '-alias', 'stranger', '-keystore', stranger, '-file', dir.resolve('stranger.pem'))
        keytool('-genkeypair', '-alias', 'server', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=127.0.0.1',
                '-validity', '2', '-keystore', server)
        keytool('-certreq', '-alias', 'server', '-keystore', server, '-file', dir.resolve('server.csr'))
        keytool('-gencert', '-rfc', '-alias', 'ca', '-keystore', ca, '-infile', dir.resolve('server.csr'),
                '-outfile', dir.resolve('server.pem'), '-ext', 'san=ip:127.0.0.1,dns:localhost', '-validity', '2')
        keytool('-importcert', '-noprompt', '-alias', 'ca', '-file', dir.resolve('ca.pem'), '-keystore', server)
        keytool('-importcert', '-alias', 'server', '-file', dir.resolve('server.pem'), '-keystore', server)
        Path expired = dir.resolve('expired.p12')
        keytool('-genkeypair', '-alias', 'server', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=127.0.0.1',
                '-validity', '2', '-keystore', expired)
        keytool('-certreq', '-alias', 'server', '-keystore', expired, '-file', dir.resolve('expired.csr'))
        keytool('-gencert', '-rfc', '-alias', 'ca', '-keystore', ca, '-infile', dir.resolve('expired.csr'),
                '-outfile', dir.resolve('expired.pem'), '-ext', 'san=ip:127.0.0.1,dns:localhost',
                '-startdate', '-30d', '-validity', '2')
        keytool('-importcert', '-noprompt', '-alias', 'ca', '-file', dir.resolve('ca.pem'), '-keystore', expired)
        keytool('-importcert', '-alias', 'server', '-file', dir.resolve('expired.pem'), '-keystore', expired)
        new TestCertificates(dir.resolve('ca.pem'), server, dir.resolve('stranger.pem'), expired)
    }

    private static void keytool(Object... args) {
        String keytool = Path.of(System.getProperty('java.home'), 'bin', 'keytool').toString()
        List<String> command = [keytool] + args*.toString() + ['-storetype', 'PKCS12', '-storepass', PASSWORD]
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start()
        String output = process.inputStream.text
        assert process.waitFor() == 0: "keytool ${args[0]} failed: ${output}"
    }
}
