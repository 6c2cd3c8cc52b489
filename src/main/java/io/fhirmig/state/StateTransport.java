package io.fhirmig.state;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.fhir.FhirHttp;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/**
 * How the state store's JSON text reaches the server: straight through the connection's HTTP client
 * when fhirmig made it, or through the HAPI client an application handed over (whose interceptors,
 * its credentials say, must see every request). Failures are HAPI's client exceptions either way.
 */
interface StateTransport {

    /** A search (relative) or a next-page link (absolute), answered as a Bundle's JSON. */
    String search(String url);

    /** A search of which only the first page is read: the server need not keep its results. */
    String searchFirstPageOnly(String url);

    /** Reads one resource or one version of it ({@code Basic/12}, {@code Basic/12/_history/3}) as JSON text. */
    String read(String reference);

    /** A transaction Bundle, answered as the response Bundle's text. */
    String transaction(String bundleJson);

    /** A conditional create of a resource ({@code If-None-Exist}). */
    void create(String resourceJson, String ifNoneExist);

    /** Deletes a resource, e.g. {@code Basic/12}. */
    void delete(String reference);

    static StateTransport of(FhirConnection connection) {
        return connection.http().<StateTransport>map(Direct::new)
                .orElseGet(() -> new ThroughClient(connection.client()));
    }

    record Direct(FhirHttp http) implements StateTransport {
        @Override
        public String search(String url) {
            return http.get(url);
        }

        @Override
        public String searchFirstPageOnly(String url) {
            return http.getFirstPageOnly(url);
        }

        @Override
        public String read(String reference) {
            return http.get(reference);
        }

        @Override
        public String transaction(String bundleJson) {
            return http.post("", bundleJson, null);
        }

        @Override
        public void create(String resourceJson, String ifNoneExist) {
            http.post("Basic", resourceJson, ifNoneExist);
        }

        @Override
        public void delete(String reference) {
            http.delete(reference);
        }
    }

    /** An application's own client: HAPI parses the answers, and they are written back as JSON. */
    record ThroughClient(IGenericClient client) implements StateTransport {
        @Override
        public String search(String url) {
            Bundle bundle = url.startsWith("http://") || url.startsWith("https://")
                    ? client.loadPage().byUrl(url).andReturnBundle(Bundle.class).execute()
                    : searchRelative(url, false);
            return context().newJsonParser().encodeResourceToString(bundle);
        }

        @Override
        public String searchFirstPageOnly(String url) {
            return context().newJsonParser().encodeResourceToString(searchRelative(url, true));
        }

        private Bundle searchRelative(String url, boolean firstPageOnly) {
            // HAPI reuses earlier search results for identical searches unless told not to, and keeps
            // the results of each for paging unless told not to (no-store).
            return client.search().byUrl(url)
                    .cacheControl(new CacheControlDirective().setNoCache(true).setNoStore(firstPageOnly))
                    .returnBundle(Bundle.class).execute();
        }

        @Override
        public String read(String reference) {
            IdType id = new IdType(reference);
            Basic basic = id.hasVersionIdPart()
                    ? client.read().resource(Basic.class)
                            .withIdAndVersion(id.getIdPart(), id.getVersionIdPart()).execute()
                    : client.read().resource(Basic.class).withId(id.getIdPart()).execute();
            return context().newJsonParser().encodeResourceToString(basic);
        }

        @Override
        public String transaction(String bundleJson) {
            return client.transaction().withBundle(bundleJson).execute();
        }

        @Override
        public void create(String resourceJson, String ifNoneExist) {
            client.create().resource(resourceJson).conditionalByUrl("Basic?" + ifNoneExist).execute();
        }

        @Override
        public void delete(String reference) {
            client.delete().resourceById(new IdType(reference)).execute();
        }

        private FhirContext context() {
            return client.getFhirContext();
        }
    }
}
