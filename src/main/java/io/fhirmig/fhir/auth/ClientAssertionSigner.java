package io.fhirmig.fhir.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirmig.api.FhirmigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;

/**
 * Signs the JWT that authenticates the client at the token endpoint (SMART Backend Services): issuer
 * and subject the client id, audience the token endpoint's URL, a unique {@code jti}, and an expiry
 * five minutes ahead, the longest SMART allows.
 */
final class ClientAssertionSigner {

    private static final long LIFETIME_SECONDS = 300;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String clientId;
    private final String audience;
    private final SigningKey key;
    private final Clock clock;

    ClientAssertionSigner(String clientId, String audience, SigningKey key, Clock clock) {
        this.clientId = clientId;
        this.audience = audience;
        this.key = key;
        this.clock = clock;
    }

    String sign() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode()
                .put("alg", key.algorithm())
                .put("typ", "JWT")
                .put("kid", key.keyId());
        ObjectNode claims = json.createObjectNode()
                .put("iss", clientId)
                .put("sub", clientId)
                .put("aud", audience)
                .put("exp", clock.instant().getEpochSecond() + LIFETIME_SECONDS)
                .put("jti", UUID.randomUUID().toString());
        String signingInput = encode(header.toString()) + "." + encode(claims.toString());
        try {
            Signature signature = Signature.getInstance(key.jcaAlgorithm());
            signature.initSign(key.key());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new FhirmigException(FhirmigException.Kind.USAGE,
                    "cannot sign the client assertion with the " + key.algorithm() + " key " + key.keyId()
                            + ": " + e.getClass().getSimpleName());
        }
    }

    private static String encode(String text) {
        return BASE64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
