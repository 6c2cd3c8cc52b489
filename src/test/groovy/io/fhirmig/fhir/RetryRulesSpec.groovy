package io.fhirmig.fhir

import java.time.Instant
import org.apache.http.client.methods.HttpDelete
import org.apache.http.client.methods.HttpGet
import org.apache.http.client.methods.HttpPatch
import org.apache.http.client.methods.HttpPost
import org.apache.http.client.methods.HttpPut
import org.apache.http.client.methods.HttpRequestBase
import org.apache.http.client.utils.DateUtils
import org.apache.http.entity.InputStreamEntity
import org.apache.http.entity.StringEntity
import spock.lang.Specification

/** Which requests may be sent twice, and how long a server may ask to be left alone. */
class RetryRulesSpec extends Specification {

    private static HttpRequestBase request(String method, String url, Map<String, String> headers = [:]) {
        def request = [GET: new HttpGet(url), POST: new HttpPost(url), PUT: new HttpPut(url), DELETE: new HttpDelete(url),
                       PATCH: new HttpPatch(url)][method]
        if (request instanceof HttpPost || request instanceof HttpPut || request instanceof HttpPatch) {
            request.entity = new StringEntity('{}')
        }
        headers.each { k, v -> request.setHeader(k, v) }
        request
    }

    def "#method #url #headers: safe to repeat is #safe"() {
        expect:
        RetryingHttpClient.safeToRepeat(request(method, 'http://h/fhir/' + url, headers)) == safe

        where:
        method   | url                              | headers                                  | safe
        'GET'    | 'Patient/1'                      | [:]                                      | true
        'POST'   | 'Patient'                        | [:]                                      | false
        'POST'   | ''                               | [:]                                      | false
        'POST'   | 'Patient'                        | ['If-None-Exist': 'identifier=a|b']      | true
        'POST'   | 'Patient/_search'                | [:]                                      | true
        'PUT'    | 'Patient/1'                      | [:]                                      | false
        'PUT'    | 'Patient/1'                      | ['If-Match': 'W/"3"']                    | true
        'PUT'    | 'Patient?identifier=a%7Cb'       | [:]                                      | true
        'PUT'    | 'Patient/1?_format=json'         | [:]                                      | false
        'DELETE' | 'Patient/1'                      | [:]                                      | true
        'DELETE' | 'Patient?identifier=a%7Cb'       | [:]                                      | true
        'PATCH'  | 'Patient?identifier=a%7Cb'       | [:]                                      | false
        'PATCH'  | 'Patient/1'                      | ['If-Match': 'W/"3"']                    | true
    }

    def "a body that cannot be sent twice is never retried"() {
        given:
        def get = new HttpPost('http://h/fhir/Patient')
        get.setHeader('If-None-Exist', 'identifier=a|b')
        get.entity = new InputStreamEntity(new ByteArrayInputStream('{}'.bytes))

        expect:
        !RetryingHttpClient.safeToRepeat(get)
    }

    def "Retry-After '#header' waits #expected ms"() {
        expect:
        Backoff.retryAfterMillis(header, Instant.parse('2026-01-01T00:00:00Z')) == expected

        where:
        header                           | expected
        '1'                              | 1_000
        ' 7 '                            | 7_000
        '0'                              | 0
        '3600'                           | 30_000
        'Thu, 01 Jan 2026 00:00:05 GMT'  | 5_000
        'Wed, 31 Dec 2025 23:59:00 GMT'  | 0
        'Thu, 01 Jan 2026 01:00:00 GMT'  | 30_000
        'soon'                           | -1
        null                             | -1
        '99999999999999999999'           | -1
    }

    def "without Retry-After the wait doubles from 200 ms, up to 5 s"() {
        expect:
        (1..7).collect { Backoff.millis(it) } == [200, 400, 800, 1600, 3200, 5000, 5000]
    }
}
