package io.fhirmig.fhir.auth;

/** An access token from the token endpoint, cached until shortly before it expires. */
final class OAuthCredentials implements Credentials {

    private static final String BEARER = "Bearer ";

    private final TokenClient tokens;
    private final TokenCache cache;
    private final String method;

    OAuthCredentials(TokenClient tokens, TokenCache cache, String method) {
        this.tokens = tokens;
        this.cache = cache;
        this.method = method;
    }

    @Override
    public String authorization() {
        return BEARER + cache.token(tokens::fetch);
    }

    @Override
    public boolean renew(String rejected) {
        if (rejected != null && rejected.startsWith(BEARER)) {
            cache.reject(rejected.substring(BEARER.length()));
        }
        return true;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String toString() {
        return "Credentials[" + method + "]";
    }
}
