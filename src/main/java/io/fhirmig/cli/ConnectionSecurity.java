package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The security settings of a run, as resolved from the options, the environment and the settings
 * file, for the library's builder. Values compare equal when they configure the same connection.
 *
 * @param credentials the one configured way to authenticate
 * @param caFile the private CA's certificates, or {@code null} for the system trust store only
 * @param headers extra request headers, e.g. a tenant header
 */
record ConnectionSecurity(Credentials credentials, Path caFile, Map<String, String> headers) {

    static ConnectionSecurity none() {
        return new ConnectionSecurity(new Credentials.None(), null, Map.of());
    }

    /** Sets these on the builder. */
    Fhirmig.Builder applyTo(Fhirmig.Builder builder) {
        credentials.applyTo(builder);
        if (caFile != null) {
            builder.caFile(caFile);
        }
        headers.forEach(builder::header);
        return builder;
    }

    @Override
    public String toString() {
        // Header values may be API keys: only their names are shown.
        return "ConnectionSecurity[" + credentials + ", caFile=" + caFile + ", headers=" + headers.keySet() + "]";
    }

    /** One way to authenticate; a secret is given as its value or as its file, never shown. */
    sealed interface Credentials {

        void applyTo(Fhirmig.Builder builder);

        record None() implements Credentials {
            @Override
            public void applyTo(Fhirmig.Builder builder) {
            }
        }

        record BearerToken(String token, Path file) implements Credentials {
            @Override
            public void applyTo(Fhirmig.Builder builder) {
                if (file != null) {
                    builder.bearerTokenFile(file);
                } else {
                    builder.bearerToken(token);
                }
            }

            @Override
            public String toString() {
                return "BearerToken[" + (file != null ? "file " + file : "****") + "]";
            }
        }

        record Basic(String user, String password, Path passwordFile) implements Credentials {
            @Override
            public void applyTo(Fhirmig.Builder builder) {
                if (passwordFile != null) {
                    builder.basicAuthPasswordFile(user, passwordFile);
                } else {
                    builder.basicAuth(user, password);
                }
            }

            @Override
            public String toString() {
                return "Basic[" + user + ", " + (passwordFile != null ? "file " + passwordFile : "****") + "]";
            }
        }

        record ClientSecret(String tokenUrl, String clientId, String secret, Path secretFile, String scope)
                implements Credentials {
            @Override
            public void applyTo(Fhirmig.Builder builder) {
                if (secretFile != null) {
                    builder.clientSecretFile(tokenUrl, clientId, secretFile, scope);
                } else {
                    builder.clientSecret(tokenUrl, clientId, secret, scope);
                }
            }

            @Override
            public String toString() {
                return "ClientSecret[" + tokenUrl + ", " + clientId + ", "
                        + (secretFile != null ? "file " + secretFile : "****") + ", " + scope + "]";
            }
        }

        record ClientKey(String tokenUrl, String clientId, Path keyFile, String keyId, String scope)
                implements Credentials {
            @Override
            public void applyTo(Fhirmig.Builder builder) {
                builder.clientKey(tokenUrl, clientId, keyFile, keyId, scope);
            }
        }
    }
}
