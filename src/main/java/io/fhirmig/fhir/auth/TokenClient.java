package io.fhirmig.fhir.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks the token endpoint for an access token with the client credentials grant (RFC 6749 4.4): the
 * client authenticated with its secret (HTTP basic, RFC 6749 2.3.1) or with a signed JWT assertion
 * (RFC 7523, as SMART Backend Services specifies).
 */
final class TokenClient {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final String tokenUrl;
    private final String scope;
    private final String method;
    private final TokenEndpoint endpoint;
    private final Secret basicHeader;
    private final ClientAssertionSigner signer;

    private TokenClient(String tokenUrl, String scope, String method, TokenEndpoint endpoint, Secret basicHeader,
            ClientAssertionSigner signer) {
        this.tokenUrl = tokenUrl;
        this.scope = scope;
        this.method = method;
        this.endpoint = endpoint;
        this.basicHeader = basicHeader;
        this.signer = signer;
    }

    /** The key file of a JWT assertion is read here, once per connection. */
    static TokenClient of(Authentication authentication, TokenEndpoint endpoint) {
        if (authentication instanceof Authentication.ClientSecret secret) {
            String pair = formEncode(secret.clientId()) + ":" + formEncode(secret.secret().reveal());
            Secret header = Secret.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            return new TokenClient(secret.tokenUrl(), secret.scope(), secret.method(), endpoint, header, null);
        }
        Authentication.ClientAssertion assertion = (Authentication.ClientAssertion) authentication;
        SigningKey key = SigningKeys.load(assertion.keyFile(), assertion.keyId());
        ClientAssertionSigner signer = new ClientAssertionSigner(assertion.clientId(), assertion.tokenUrl(), key,
                Clock.systemUTC());
        return new TokenClient(assertion.tokenUrl(), assertion.scope(), assertion.method(), endpoint, null, signer);
    }

    AccessToken fetch() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        if (signer != null) {
            form.put("client_assertion_type", ASSERTION_TYPE);
            form.put("client_assertion", signer.sign());
        }
        return endpoint.request(tokenUrl, form, basicHeader == null ? null : basicHeader.reveal(), method);
    }

    static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
