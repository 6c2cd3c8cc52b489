package io.fhirmig.state

import ca.uhn.fhir.context.FhirContext
import spock.lang.Specification

/** A step needs one thing from the server's transaction-response: the state's new version. */
class TransactionResponsesSpec extends Specification {

    static final FhirContext CONTEXT = FhirContext.forR4Cached()

    def "the version comes from the first entry's location, whatever else the answer holds"() {
        given:
        def answer = '''{"resourceType":"Bundle","id":"x","type":"transaction-response",
            "link":[{"relation":"self","url":"http://h/fhir"}],
            "entry":[{"response":{"status":"200 OK","location":"Basic/12/_history/7","etag":"W/\\"7\\"",
                      "outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]}}},
                     {"response":{"status":"201 Created","location":"Basic/13/_history/1"}}]}'''

        expect:
        TransactionResponses.firstEntryVersion({ CONTEXT }, answer) == '7'
    }

    def "an answer with an etag and no versioned location gives the etag's version"() {
        expect:
        TransactionResponses.firstEntryVersion({ CONTEXT },
                '{"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":"200 OK","location":"Basic/12","etag":"W/\\"4\\""}}]}') == '4'
    }

    def "an answer with neither gives none, and the caller reads the state instead"() {
        expect:
        TransactionResponses.firstEntryVersion({ CONTEXT },
                '{"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":"200 OK"}}]}') == null
    }

    def "an XML answer is read too"() {
        expect:
        TransactionResponses.firstEntryVersion({ CONTEXT }, '''<Bundle xmlns="http://hl7.org/fhir"><type value="transaction-response"/>
            <entry><response><status value="200 OK"/><location value="Basic/3/_history/9"/></response></entry></Bundle>''') == '9'
    }
}
