package io.fhirmig.fhir.auth;

import java.security.PrivateKey;

/**
 * A private key for signing client assertions.
 *
 * @param key the private key (RSA for RS384, EC P-384 for ES384)
 * @param algorithm the JWS algorithm, {@code RS384} or {@code ES384}
 * @param keyId the {@code kid} the token endpoint knows the public key by
 */
record SigningKey(PrivateKey key, String algorithm, String keyId) {

    /** The JCA signature algorithm; ES384 wants the raw R||S form (IEEE P1363) that JWS uses, not DER. */
    String jcaAlgorithm() {
        return "ES384".equals(algorithm) ? "SHA384withECDSAinP1363Format" : "SHA384withRSA";
    }

    @Override
    public String toString() {
        // A key's own toString may print its private parts.
        return "SigningKey[" + algorithm + ", kid " + keyId + "]";
    }
}
