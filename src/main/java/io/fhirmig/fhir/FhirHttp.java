package io.fhirmig.fhir;

import io.fhirmig.api.ServerText;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.http.HttpEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

/**
 * FHIR requests whose bodies fhirmig writes and reads as JSON text itself (the state's reads and
 * commits), sent through the same HTTP client as HAPI's: the same credentials, extra headers, retries
 * of reads, timeouts and TLS. It skips building, encoding and parsing HAPI's model objects, which
 * was most of the time a step spent on the state, and spares read-only commands HAPI's model scan.
 *
 * <p>Failures are thrown as HAPI's client throws them ({@link FhirClientConnectionException}, or the
 * {@link BaseServerResponseException} of the status code, with the server's diagnostics), so that
 * callers and {@link ServerErrors} treat both ways alike.
 */
public final class FhirHttp {

    private static final ContentType FHIR_JSON = ContentType.create("application/fhir+json", StandardCharsets.UTF_8);
    private static final JsonFactory JSON = new JsonFactory();

    private final CloseableHttpClient http;
    private final String base;

    FhirHttp(CloseableHttpClient http, String baseUrl) {
        this.http = http;
        this.base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    }

    /**
     * GETs a URL relative to the server's base, or an absolute one (a next-page link), bypassing
     * caches.
     *
     * @return the answer's body
     */
    public String get(String url) {
        // HAPI JPA answers a repeated identical search from its cache unless told not to.
        return get(url, "no-cache");
    }

    /**
     * GETs a search of which only the first page is read, bypassing caches and asking the server not
     * to keep the results for paging: HAPI JPA otherwise stores every search it answers, a row in its
     * database for each command that reads the state.
     *
     * @return the answer's body
     */
    public String getFirstPageOnly(String url) {
        return get(url, "no-cache, no-store");
    }

    private String get(String url, String cacheControl) {
        HttpGet get = new HttpGet(url.startsWith("http://") || url.startsWith("https://") ? url : base + url);
        get.setHeader("Cache-Control", cacheControl);
        return send(get);
    }

    /**
     * POSTs a FHIR JSON body, e.g. a transaction Bundle to the base ({@code ""}).
     *
     * @param ifNoneExist the search of a conditional create, or null
     * @return the answer's body
     */
    public String post(String relativeUrl, String json, String ifNoneExist) {
        HttpPost post = new HttpPost(base + relativeUrl);
        post.setEntity(new StringEntity(json, FHIR_JSON));
        if (ifNoneExist != null) {
            post.setHeader("If-None-Exist", ifNoneExist);
        }
        return send(post);
    }

    /** DELETEs a resource, e.g. {@code Basic/12}. */
    public void delete(String relativeUrl) {
        send(new HttpDelete(base + relativeUrl));
    }

    private String send(HttpRequestBase request) {
        request.setHeader("Accept", "application/fhir+json");
        try (CloseableHttpResponse response = http.execute(request)) {
            HttpEntity entity = response.getEntity();
            String body = entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8);
            int status = response.getStatusLine().getStatusCode();
            if (status / 100 == 2) {
                return body;
            }
            String reason = response.getStatusLine().getReasonPhrase();
            String diagnostics = diagnostics(body);
            throw BaseServerResponseException.newInstance(status, "HTTP " + status
                    + (reason == null || reason.isBlank() ? "" : " " + ServerText.clean(reason))
                    + (diagnostics == null ? "" : ": " + ServerText.clean(diagnostics)));
        } catch (IOException e) {
            throw new FhirClientConnectionException(e);
        }
    }

    /** The first issue's diagnostics of an OperationOutcome, the part of an error a person can act on. */
    static String diagnostics(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && "diagnostics".equals(parser.currentName())
                        && parser.nextToken() == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON (a proxy's HTML page, say): the status line is all there is to say.
        }
        return null;
    }
}
