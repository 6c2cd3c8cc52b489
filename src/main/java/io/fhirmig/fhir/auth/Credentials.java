package io.fhirmig.fhir.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.http.impl.client.CloseableHttpClient;

/** What goes into the {@code Authorization} header of each request to the FHIR server. */
public interface Credentials {

    /**
     * The header value for the next request, or {@code null} to send none.
     *
     * @throws io.fhirmig.api.FhirmigException when a token cannot be obtained from the token endpoint
     */
    String authorization();

    /**
     * Called after the server answered 401 to {@code rejected}: drops it and says whether a request
     * sent again could carry something new. Static credentials cannot.
     */
    boolean renew(String rejected);

    /** The method's name in messages, e.g. "bearer token". */
    String method();

    /** Whether any credentials are sent at all. */
    default boolean configured() {
        return true;
    }

    /**
     * Credentials for a configured method.
     *
     * @param http sends the token requests of OAuth methods (with the connection's TLS settings)
     */
    static Credentials of(Authentication authentication, CloseableHttpClient http) {
        if (authentication instanceof Authentication.BearerToken bearer) {
            return new Static("Bearer " + bearer.token().reveal(), authentication.method());
        }
        if (authentication instanceof Authentication.Basic basic) {
            String pair = basic.user() + ":" + basic.password().reveal();
            return new Static("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)),
                    authentication.method());
        }
        if (authentication instanceof Authentication.ClientSecret || authentication instanceof Authentication.ClientAssertion) {
            return new OAuthCredentials(TokenClient.of(authentication, new TokenEndpoint(http)),
                    new TokenCache(java.time.Clock.systemUTC()), authentication.method());
        }
        return new Static(null, authentication.method());
    }

    /** The same header every time (or none). */
    final class Static implements Credentials {
        private final String header;
        private final String method;

        Static(String header, String method) {
            this.header = header;
            this.method = method;
        }

        @Override
        public String authorization() {
            return header;
        }

        @Override
        public boolean renew(String rejected) {
            return false;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public boolean configured() {
            return header != null;
        }

        @Override
        public String toString() {
            return "Credentials[" + method + "]";
        }
    }
}
