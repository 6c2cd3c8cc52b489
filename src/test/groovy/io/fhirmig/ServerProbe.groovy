package io.fhirmig

import ca.uhn.fhir.rest.api.CacheControlDirective
import ca.uhn.fhir.rest.client.api.IGenericClient
import groovy.json.JsonSlurper
import io.fhirmig.fhir.ConnectionOptions
import io.fhirmig.fhir.FhirConnection
import io.fhirmig.state.FhirStateStore
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.Bundle

/**
 * Looks at the test server the way a user would: searches by identifier (never cached), the state of
 * a namespace as fhirmig reads it, and raw JSON over plain HTTP.
 */
final class ServerProbe {

    private static final HttpClient HTTP = HttpClient.newHttpClient()

    private ServerProbe() {}

    static String unique(String prefix) {
        prefix + '-' + UUID.randomUUID().toString().substring(0, 8)
    }

    static String markerSystem(String namespace) {
        'urn:fhirmig-test:marker:' + namespace
    }

    /** The values of the markers left in a namespace, one entry per marker, sorted. */
    static List<String> markers(String namespace) {
        basicsWithSystem(markerSystem(namespace)).collect { it.identifierFirstRep.value }.sort()
    }

    /** How many markers {@code <revision>:<what>} there are. */
    static int markerCount(String namespace, String revision, String what = 'upgrade') {
        markers(namespace).count { it == "${revision}:${what}".toString() } as int
    }

    /** Every Basic with an identifier of that system, all pages. */
    static List<Basic> basicsWithSystem(String system) {
        IGenericClient client = TestServer.newClient()
        Bundle page = client.search().forResource(Basic)
                .where(Basic.IDENTIFIER.hasSystemWithAnyCode(system))
                .count(200)
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle).execute()
        List<Basic> found = []
        while (page != null) {
            found.addAll(page.entry.collect { it.getResource() }.findAll { it instanceof Basic } as List<Basic>)
            page = page.getLink(Bundle.LINK_NEXT) != null ? client.loadPage().next(page).execute() : null
        }
        found
    }

    /** The state store of a namespace on the test server, as fhirmig itself reads it. */
    static FhirStateStore store(String namespace) {
        new FhirStateStore(FhirConnection.open(ConnectionOptions.of(TestServer.baseUrl())), namespace)
    }

    /** GETs a path below the FHIR base (e.g. {@code Basic?identifier=...}), or a full URL, and parses the JSON answer. */
    static Object getJson(String path) {
        String url = path.startsWith('http') ? path : TestServer.baseUrl() + '/' + path
        def request = HttpRequest.newBuilder(URI.create(url))
                .header('Accept', 'application/fhir+json')
                .header('Cache-Control', 'no-cache')
                .GET().build()
        def response = HTTP.send(request, HttpResponse.BodyHandlers.ofString())
        assert response.statusCode() == 200: "GET ${path}: HTTP ${response.statusCode()}: ${response.body()}"
        new JsonSlurper().parseText(response.body())
    }

    /** The HTTP status of a GET of a path below the FHIR base. */
    static int status(String path) {
        def request = HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + '/' + path))
                .header('Accept', 'application/fhir+json').GET().build()
        HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
    }

    static String enc(String value) {
        URLEncoder.encode(value, 'UTF-8')
    }

    /** The state resources of a namespace, as raw JSON (a list: there must be exactly one). */
    static List<Map> stateJson(String namespace) {
        def bundle = getJson("Basic?identifier=${enc("urn:fhirmig:state|${namespace}")}")
        (bundle.entry ?: []).collect { it.resource }
    }

    /** The applied records of a namespace, as raw JSON. */
    static List<Map> appliedJson(String namespace) {
        def bundle = getJson("Basic?identifier=${enc("urn:fhirmig:applied:${namespace}|")}&_count=200")
        (bundle.entry ?: []).collect { it.resource }
    }

    private static final java.util.concurrent.atomic.AtomicLong HISTORY_QUERIES = new java.util.concurrent.atomic.AtomicLong()

    /**
     * Every version of a resource, newest first, as raw JSON (all pages). HAPI caches the count of a
     * history query for a while (JpaStorageSettings' history count mode) and returns no more versions
     * than it counted, so each query differs by a harmless {@code _since} long in the past.
     */
    static List<Map> historyJson(String type, String id) {
        List<Map> versions = []
        String since = java.time.Instant.parse('2000-01-01T00:00:00Z').plusSeconds(HISTORY_QUERIES.incrementAndGet())
        def bundle = getJson("${type}/${id}/_history?_count=50&_since=${enc(since)}")
        while (true) {
            versions.addAll((bundle.entry ?: []).collect { it.resource })
            String next = bundle.link?.find { it.relation == 'next' }?.url
            if (next == null) {
                return versions
            }
            bundle = getJson(next)
        }
    }
}
