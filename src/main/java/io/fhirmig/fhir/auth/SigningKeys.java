package io.fhirmig.fhir.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirmig.api.FhirmigException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the client's private key from a PEM file (PKCS#8, or PKCS#1 for RSA) or a JWKS file. Messages
 * name the file and what is wrong with it, never anything of the key.
 */
final class SigningKeys {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final int P384_BITS = 384;

    private SigningKeys() {
    }

    static SigningKey load(Path file, String keyId) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw problem(file, Files.exists(file) ? "cannot be read (" + e.getClass().getSimpleName() + ")" : "does not exist");
        }
        return text.strip().startsWith("{") ? fromJwks(file, text, keyId) : fromPem(file, text, keyId);
    }

    private static SigningKey fromPem(Path file, String text, String keyId) {
        Matcher pem = PEM.matcher(text);
        if (!pem.find()) {
            throw problem(file, "is neither a PEM private key nor a JWKS file");
        }
        String type = pem.group(1);
        byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> Pkcs8.wrapRsa(der);
            default -> throw problem(file, "holds a '" + type + "', which fhirmig cannot read: convert it to an"
                    + " unencrypted PKCS#8 key with `openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem`");
        };
        if (keyId == null || keyId.isBlank()) {
            throw problem(file, "is a PEM key, which carries no key id: give the kid the token endpoint knows"
                    + " the key by with FHIRMIG_CLIENT_KEY_ID (clientKeyId), or use a JWKS file");
        }
        PrivateKey key = null;
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                break;
            } catch (GeneralSecurityException e) {
                // Not this kind of key: try the next.
            }
        }
        if (key == null) {
            throw problem(file, "holds no RSA or EC private key that can be read");
        }
        return signingKey(file, key, keyId);
    }

    private static SigningKey fromJwks(Path file, String text, String keyId) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw problem(file, "is not valid JSON (a JWKS file is {\"keys\": [...]})");
        }
        List<JsonNode> keys = new ArrayList<>();
        if (root.has("keys")) {
            root.path("keys").forEach(keys::add);
        } else {
            keys.add(root);
        }
        JsonNode chosen = null;
        for (JsonNode jwk : keys) {
            boolean usable = jwk.hasNonNull("d") && ("RSA".equals(jwk.path("kty").asText())
                    || "EC".equals(jwk.path("kty").asText()) && "P-384".equals(jwk.path("crv").asText()));
            boolean wanted = keyId == null || keyId.isBlank() || keyId.equals(jwk.path("kid").asText(null));
            if (usable && wanted && (chosen == null || isSmartAlgorithm(jwk) && !isSmartAlgorithm(chosen))) {
                chosen = jwk;
            }
        }
        if (chosen == null) {
            throw problem(file, "holds no private RSA or P-384 EC key"
                    + (keyId == null || keyId.isBlank() ? "" : " with kid '" + keyId + "'"));
        }
        String kid = keyId != null && !keyId.isBlank() ? keyId : chosen.path("kid").asText(null);
        if (kid == null || kid.isBlank()) {
            throw problem(file, "has a key without a kid: add one, or give it with FHIRMIG_CLIENT_KEY_ID (clientKeyId)");
        }
        try {
            KeySpec spec = "RSA".equals(chosen.path("kty").asText()) ? rsaSpec(chosen) : ecSpec(chosen);
            String algorithm = spec instanceof ECPrivateKeySpec ? "EC" : "RSA";
            return signingKey(file, KeyFactory.getInstance(algorithm).generatePrivate(spec), kid);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw problem(file, "has a key '" + kid + "' that cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static KeySpec rsaSpec(JsonNode jwk) {
        BigInteger n = number(jwk, "n");
        BigInteger d = number(jwk, "d");
        if (jwk.hasNonNull("p") && jwk.hasNonNull("q") && jwk.hasNonNull("dp") && jwk.hasNonNull("dq") && jwk.hasNonNull("qi")) {
            return new RSAPrivateCrtKeySpec(n, number(jwk, "e"), d, number(jwk, "p"), number(jwk, "q"),
                    number(jwk, "dp"), number(jwk, "dq"), number(jwk, "qi"));
        }
        return new RSAPrivateKeySpec(n, d);
    }

    private static KeySpec ecSpec(JsonNode jwk) throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp384r1"));
        return new ECPrivateKeySpec(number(jwk, "d"), parameters.getParameterSpec(ECParameterSpec.class));
    }

    private static BigInteger number(JsonNode jwk, String field) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path(field).asText()));
    }

    private static boolean isSmartAlgorithm(JsonNode jwk) {
        String alg = jwk.path("alg").asText("");
        return alg.equals("RS384") || alg.equals("ES384");
    }

    private static SigningKey signingKey(Path file, PrivateKey key, String keyId) {
        if (key instanceof ECPrivateKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != P384_BITS) {
                throw problem(file, "holds an EC key on a " + bits + "-bit curve; ES384 needs a P-384 key");
            }
            return new SigningKey(key, "ES384", keyId);
        }
        return new SigningKey(key, "RS384", keyId);
    }

    private static FhirmigException problem(Path file, String what) {
        return new FhirmigException(FhirmigException.Kind.USAGE, "client key file " + file + " " + what);
    }

    /** Wraps a PKCS#1 RSA key in the PKCS#8 structure that Java's key factories read. */
    private static final class Pkcs8 {
        private static final byte[] RSA_ALGORITHM = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
        };
        private static final byte[] VERSION = {0x02, 0x01, 0x00};

        static byte[] wrapRsa(byte[] pkcs1) {
            byte[] octets = tagged(0x04, pkcs1);
            byte[] body = concat(VERSION, RSA_ALGORITHM, octets);
            return tagged(0x30, body);
        }

        private static byte[] tagged(int tag, byte[] content) {
            byte[] length = length(content.length);
            byte[] out = new byte[1 + length.length + content.length];
            out[0] = (byte) tag;
            System.arraycopy(length, 0, out, 1, length.length);
            System.arraycopy(content, 0, out, 1 + length.length, content.length);
            return out;
        }

        private static byte[] length(int length) {
            if (length < 0x80) {
                return new byte[] {(byte) length};
            }
            byte[] bytes = BigInteger.valueOf(length).toByteArray();
            int start = bytes[0] == 0 ? 1 : 0;
            byte[] out = new byte[1 + bytes.length - start];
            out[0] = (byte) (0x80 | (bytes.length - start));
            System.arraycopy(bytes, start, out, 1, bytes.length - start);
            return out;
        }

        private static byte[] concat(byte[]... parts) {
            int size = 0;
            for (byte[] part : parts) {
                size += part.length;
            }
            byte[] out = new byte[size];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
            return out;
        }
    }
}
