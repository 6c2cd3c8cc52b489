package io.fhirmig.secure

import groovy.json.JsonOutput
import java.nio.file.Files
import java.nio.file.Path
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.interfaces.ECPrivateKey
import java.security.interfaces.ECPublicKey
import java.security.spec.ECGenParameterSpec

/** Key pairs of SMART backend clients, written as a client would keep them: PEM (PKCS#8) or JWKS. */
final class ClientKeys {

    private ClientKeys() {}

    static KeyPair rsa() {
        KeyPairGenerator generator = KeyPairGenerator.getInstance('RSA')
        generator.initialize(2048)
        generator.generateKeyPair()
    }

    static KeyPair ecP384() {
        KeyPairGenerator generator = KeyPairGenerator.getInstance('EC')
        generator.initialize(new ECGenParameterSpec('secp384r1'))
        generator.generateKeyPair()
    }

    static Path writePem(Path file, KeyPair pair) {
        String body = Base64.getMimeEncoder(64, '\n'.bytes).encodeToString(pair.private.encoded)
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n")
    }

    static Path writeJwks(Path file, KeyPair pair, String kid) {
        ECPublicKey pub = (ECPublicKey) pair.public
        ECPrivateKey priv = (ECPrivateKey) pair.private
        Map jwk = [kty: 'EC', crv: 'P-384', kid: kid, alg: 'ES384', use: 'sig',
                   x: unsigned(pub.w.affineX), y: unsigned(pub.w.affineY), d: unsigned(priv.s)]
        Files.writeString(file, JsonOutput.prettyPrint(JsonOutput.toJson([keys: [jwk]])))
    }

    /** A JWK coordinate: the big-endian bytes, padded to the curve's 48 bytes, base64url. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray()
        byte[] fixed = new byte[48]
        int copy = Math.min(bytes.length, 48)
        System.arraycopy(bytes, bytes.length - copy, fixed, 48 - copy, copy)
        Base64.urlEncoder.withoutPadding().encodeToString(fixed)
    }
}
