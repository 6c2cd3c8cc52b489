package io.fhirmig.fhir.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.ServerText;
import io.fhirmig.fhir.net.TlsProblems;
import io.fhirmig.fhir.net.Urls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

/**
 * POSTs a token request and reads the answer. A refusal (400, 401, 403: RFC 6749 answers a bad client
 * with 400 or 401) is an authentication failure that names the method; the endpoint's own
 * {@code error} and {@code error_description} are kept, since they say what to fix.
 */
final class TokenEndpoint {

    private static final int MAX_DESCRIPTION = 200;

    private final CloseableHttpClient http;

    TokenEndpoint(CloseableHttpClient http) {
        this.http = http;
    }

    AccessToken request(String tokenUrl, Map<String, String> form, String authorization, String method) {
        String shownUrl = Urls.withoutCredentials(tokenUrl);
        HttpPost post = new HttpPost(tokenUrl);
        post.setHeader("Accept", "application/json");
        if (authorization != null) {
            post.setHeader("Authorization", authorization);
        }
        String body = form.entrySet().stream()
                .map(e -> TokenClient.formEncode(e.getKey()) + "=" + TokenClient.formEncode(e.getValue()))
                .collect(Collectors.joining("&"));
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_FORM_URLENCODED));
        int status;
        String answer;
        String location;
        try (CloseableHttpResponse response = http.execute(post)) {
            status = response.getStatusLine().getStatusCode();
            location = response.getFirstHeader("Location") == null ? null : response.getFirstHeader("Location").getValue();
            answer = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            FhirmigException tls = TlsProblems.failure(e, "token endpoint", shownUrl);
            throw tls != null ? tls : new FhirmigException(FhirmigException.Kind.SERVER,
                    "cannot reach the token endpoint at " + shownUrl + ": " + e.getMessage()
                            + "; check FHIRMIG_TOKEN_URL", e);
        }
        JsonNode json = parse(answer);
        if (status >= 300 && status < 400) {
            // Not followed: the redirect would take the client's secret (or its assertion) elsewhere.
            throw new FhirmigException(FhirmigException.Kind.SERVER, "the token endpoint at " + shownUrl
                    + " answered HTTP " + status + (location == null ? "" : " (a redirect to "
                            + ServerText.clean(Urls.withoutCredentials(location)) + ")")
                    + ", which fhirmig does not follow, so the client's credentials went nowhere else:"
                    + " set FHIRMIG_TOKEN_URL to the token endpoint's own URL");
        }
        if (status == 400 || status == 401 || status == 403) {
            throw new AuthenticationFailedException("authentication failed (" + method + ") at " + shownUrl
                    + ": the token endpoint answered HTTP " + status + refusal(json));
        }
        if (status < 200 || status > 299) {
            throw new FhirmigException(FhirmigException.Kind.SERVER,
                    "the token endpoint at " + shownUrl + " answered HTTP " + status + refusal(json));
        }
        String token = json == null ? null : json.path("access_token").asText(null);
        if (token == null || token.isBlank()) {
            throw new FhirmigException(FhirmigException.Kind.SERVER,
                    "the token endpoint at " + shownUrl + " answered without an access_token");
        }
        Instant now = Instant.now();
        JsonNode expiresIn = json.path("expires_in");
        Instant expiresAt = expiresIn.canConvertToLong() || expiresIn.isTextual() && expiresIn.asText().matches("\\d+")
                ? now.plusSeconds(expiresIn.asLong()) : null;
        return new AccessToken(Secret.of(token), now, expiresAt);
    }

    private static JsonNode parse(String answer) {
        try {
            JsonNode node = new ObjectMapper().readTree(answer);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The endpoint's {@code error} and {@code error_description}, shortened to one line. */
    private static String refusal(JsonNode json) {
        if (json == null || !json.hasNonNull("error")) {
            return "";
        }
        String text = ServerText.clean(json.path("error").asText(), MAX_DESCRIPTION);
        String description = json.path("error_description").asText("");
        if (!description.isBlank()) {
            String line = description.lines().findFirst().orElse("").trim();
            text += ": " + ServerText.clean(line, MAX_DESCRIPTION);
        }
        return " (" + text + ")";
    }
}
