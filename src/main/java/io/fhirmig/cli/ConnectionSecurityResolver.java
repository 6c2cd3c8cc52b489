package io.fhirmig.cli;

import io.fhirmig.Fhirmig;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.cli.ConnectionSecurity.Credentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves credentials, the CA file and extra headers. Secrets (a token, a password, a client secret)
 * are taken only from the environment or from files, never from the settings file, which tends to be
 * committed; at most one way to authenticate may be configured.
 */
final class ConnectionSecurityResolver {

    /** Settings-file keys that would hold a secret, and where the secret belongs instead. */
    private static final Map<String, String> SECRET_KEYS = new TreeMap<>(Map.of(
            "token", "FHIRMIG_TOKEN, or a file named by tokenFile / --token-file",
            "password", "FHIRMIG_PASSWORD, or a file named by passwordFile",
            "clientSecret", "FHIRMIG_CLIENT_SECRET, or a file named by clientSecretFile"));
    private static final String HEADER_PREFIX = "header.";

    private final SettingSources sources;
    private final Path workingDir;
    private final Path root;

    /**
     * @param workingDir what a file typed as an option is relative to
     * @param root what a file named in the environment or the settings file is relative to: the project's root
     */
    ConnectionSecurityResolver(SettingSources sources, Path workingDir, Path root) {
        this.sources = sources;
        this.workingDir = workingDir;
        this.root = root;
    }

    ConnectionSecurity resolve(FhirmigCommand options) {
        refuseSecretsInFile();
        Path caFile = options.caFile != null ? workingDir.resolve(options.caFile)
                : path(sources.pick(null, List.of("FHIRMIG_CA_FILE"), "caFile", null));
        return new ConnectionSecurity(authentication(options), caFile, headers(options.headers));
    }

    private void refuseSecretsInFile() {
        for (Map.Entry<String, String> secret : SECRET_KEYS.entrySet()) {
            if (sources.file().getProperty(secret.getKey()) != null) {
                throw new FhirmigException(FhirmigException.Kind.USAGE, "the settings file sets '" + secret.getKey()
                        + "', but secrets are never read from it (it tends to be committed): remove it and use "
                        + secret.getValue());
            }
        }
    }

    private Credentials authentication(FhirmigCommand options) {
        SecretSource token = secret(string(options.tokenFile), "FHIRMIG_TOKEN", "FHIRMIG_TOKEN_FILE", "tokenFile", "token");
        String user = sources.pick(null, List.of("FHIRMIG_USER"), "user", null);
        SecretSource password = secret(null, "FHIRMIG_PASSWORD", "FHIRMIG_PASSWORD_FILE", "passwordFile", "password");
        String tokenUrl = sources.pick(null, List.of("FHIRMIG_TOKEN_URL"), "tokenUrl", null);
        String clientId = sources.pick(null, List.of("FHIRMIG_CLIENT_ID"), "clientId", null);
        SecretSource clientSecret = secret(null, "FHIRMIG_CLIENT_SECRET", "FHIRMIG_CLIENT_SECRET_FILE", "clientSecretFile",
                "client secret");
        Path clientKey = path(sources.pick(null, List.of("FHIRMIG_CLIENT_KEY"), "clientKey", null));
        String clientKeyId = sources.pick(null, List.of("FHIRMIG_CLIENT_KEY_ID"), "clientKeyId", null);
        String scope = sources.pick(null, List.of("FHIRMIG_SCOPE"), "scope", null);

        List<String> methods = new ArrayList<>();
        if (token != null) {
            methods.add("a bearer token (FHIRMIG_TOKEN or a token file)");
        }
        if (user != null || password != null) {
            methods.add("basic (FHIRMIG_USER / FHIRMIG_PASSWORD)");
        }
        if (tokenUrl != null || clientId != null || clientSecret != null || clientKey != null) {
            methods.add("client credentials (FHIRMIG_TOKEN_URL, FHIRMIG_CLIENT_ID...)");
        }
        if (methods.size() > 1) {
            throw usage("more than one way to authenticate is configured: " + String.join(", ", methods)
                    + "; keep one");
        }
        if (token != null) {
            return new Credentials.BearerToken(token.value(), token.file());
        }
        if (user != null || password != null) {
            if (user == null || password == null) {
                throw usage("basic authentication needs both FHIRMIG_USER and FHIRMIG_PASSWORD (or passwordFile);"
                        + " only " + (user == null ? "the password" : "the user") + " is set");
            }
            return new Credentials.Basic(user, password.value(), password.file());
        }
        if (methods.isEmpty()) {
            return new Credentials.None();
        }
        if (tokenUrl == null) {
            throw usage("client credentials need the token endpoint: set FHIRMIG_TOKEN_URL (tokenUrl)");
        }
        checkUrl(tokenUrl);
        if (clientId == null) {
            throw usage("client credentials need the client id: set FHIRMIG_CLIENT_ID (clientId)");
        }
        if (clientSecret != null && clientKey != null) {
            throw usage("give the client either a secret (FHIRMIG_CLIENT_SECRET) or a key (FHIRMIG_CLIENT_KEY),"
                    + " not both");
        }
        if (clientSecret != null) {
            return new Credentials.ClientSecret(tokenUrl.trim(), clientId.trim(), clientSecret.value(), clientSecret.file(),
                    scope);
        }
        if (clientKey != null) {
            return new Credentials.ClientKey(tokenUrl.trim(), clientId.trim(), clientKey, clientKeyId, scope);
        }
        throw usage("client credentials need the client's secret (FHIRMIG_CLIENT_SECRET) or its private key for a"
                + " signed JWT assertion (FHIRMIG_CLIENT_KEY, a PEM or JWKS file)");
    }

    /**
     * A secret from, strongest first: the file given by option, the environment variable, the file named
     * by the environment or by the settings file.
     */
    private SecretSource secret(String optionFile, String envName, String envFileName, String fileKey, String what) {
        if (optionFile != null) {
            return new SecretSource(null, workingDir.resolve(optionFile.trim()));
        }
        String value = sources.env(envName);
        if (value != null) {
            return new SecretSource(value, null);
        }
        String file = sources.pick(null, List.of(envFileName), fileKey, null);
        return file == null ? null : new SecretSource(null, path(file));
    }

    /** A secret's value, or the file that holds it (read by the library). */
    private record SecretSource(String value, Path file) {
        @Override
        public String toString() {
            return file != null ? "file " + file : "****";
        }
    }

    private Map<String, String> headers(List<String> fromOptions) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String key : new TreeMap<>(propertyHeaders()).keySet()) {
            put(headers, key.substring(HEADER_PREFIX.length()), sources.file().getProperty(key).trim(),
                    "settings file key " + key);
        }
        String fromEnv = sources.env("FHIRMIG_HEADERS");
        if (fromEnv != null) {
            fromEnv.lines().filter(line -> !line.isBlank()).forEach(line -> putLine(headers, line, "FHIRMIG_HEADERS"));
        }
        if (fromOptions != null) {
            fromOptions.forEach(line -> putLine(headers, line, "--header"));
        }
        return headers;
    }

    /** Checks the header as the library will (by setting it on a builder), naming where it came from. */
    private static void put(Map<String, String> headers, String name, String value, String source) {
        try {
            Fhirmig.configure().header(name, value);
        } catch (FhirmigException e) {
            // The library names the setting "header"; here it is where the user wrote it.
            String message = e.getMessage();
            throw usage(source + (message.startsWith("header") ? message.substring("header".length()) : ": " + message));
        }
        headers.remove(name);
        for (String known : List.copyOf(headers.keySet())) {
            if (known.equalsIgnoreCase(name)) {
                headers.remove(known);
            }
        }
        headers.put(name, value);
    }

    private Map<String, String> propertyHeaders() {
        Map<String, String> found = new LinkedHashMap<>();
        for (String key : sources.file().stringPropertyNames()) {
            if (key.startsWith(HEADER_PREFIX)) {
                found.put(key, sources.file().getProperty(key));
            }
        }
        return found;
    }

    private static void putLine(Map<String, String> headers, String line, String source) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw usage(source + ": an entry is not a header: write each as 'Name: value'");
        }
        put(headers, line.substring(0, colon).trim(), line.substring(colon + 1).trim(), source);
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url.trim());
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // Reported below.
        }
        throw usage("the token endpoint '" + url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1")
                + "' is not an http(s) URL (FHIRMIG_TOKEN_URL / tokenUrl)");
    }

    /** A file named in the environment or the settings file: relative to the project's root. */
    private Path path(String value) {
        return value == null ? null : root.resolve(value.trim());
    }

    private static String string(Path path) {
        return path == null ? null : path.toString();
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
