package io.fhirmig.fhir.auth;

import java.nio.file.Path;

/**
 * How fhirmig proves who it is to a FHIR server: one of the configured methods, or none. Values
 * only; {@link Credentials} does the work. Secrets are held as {@link Secret}, so printing one of
 * these records never shows them.
 */
public sealed interface Authentication {

    /** The method's name in messages, e.g. "bearer token". */
    String method();

    /** No credentials are sent. */
    record None() implements Authentication {
        @Override
        public String method() {
            return "no credentials configured";
        }
    }

    /** A static bearer token, sent as {@code Authorization: Bearer ...}. */
    record BearerToken(Secret token) implements Authentication {
        @Override
        public String method() {
            return "bearer token";
        }
    }

    /** HTTP basic authentication. */
    record Basic(String user, Secret password) implements Authentication {
        @Override
        public String method() {
            return "basic";
        }
    }

    /**
     * OAuth 2.0 client credentials, the client authenticated with a shared secret.
     *
     * @param scope the scopes asked for, or {@code null} for the server's default
     */
    record ClientSecret(String tokenUrl, String clientId, Secret secret, String scope) implements Authentication {
        @Override
        public String method() {
            return "client credentials with secret";
        }
    }

    /**
     * OAuth 2.0 client credentials, the client authenticated with a JWT signed by its private key, as
     * SMART Backend Services specifies.
     *
     * @param keyFile a PEM (PKCS#8 or PKCS#1) or JWKS file with the private key
     * @param keyId the {@code kid} the server knows the key by, or {@code null} for the JWKS key's own
     * @param scope the scopes asked for, or {@code null} for the server's default
     */
    record ClientAssertion(String tokenUrl, String clientId, Path keyFile, String keyId, String scope)
            implements Authentication {
        @Override
        public String method() {
            return "client credentials with JWT assertion";
        }
    }

    static Authentication none() {
        return new None();
    }
}
