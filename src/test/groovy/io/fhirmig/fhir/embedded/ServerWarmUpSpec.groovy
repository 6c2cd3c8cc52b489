package io.fhirmig.fhir.embedded

import ca.uhn.fhir.context.FhirContext
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport
import spock.lang.Specification

/**
 * The embedded server's head start still reaches what the server's start uses, with the HAPI,
 * Hibernate and Spring Data versions on the class path: after an upgrade that moves them, the
 * warm-up would quietly do nothing and the server would start seconds slower.
 */
class ServerWarmUpSpec extends Specification {

    def "parses every query of HAPI's repositories with Hibernate's and Spring Data's grammars"() {
        when:
        int declared = ServerWarmUp.repositoryQueries().size()
        def parsed = ServerWarmUp.parseRepositoryQueries()

        then: 'HAPI 8.8 declares a little over two hundred, and each parses with both'
        declared > 150
        parsed.hibernate() == declared
        parsed.springData() == declared
    }

    def "loads the R4 structure definitions where a server's own FHIR context finds them"() {
        when:
        int loaded = ServerWarmUp.loadStructureDefinitions()
        def serverContext = FhirContext.forR4()
        def seenByServer = new DefaultProfileValidationSupport(serverContext).fetchAllStructureDefinitions()
        def seenByWarmUp = new DefaultProfileValidationSupport(FhirContext.forR4Cached()).fetchAllStructureDefinitions()

        then: 'every R4 resource and data type, loaded once: the same objects, whichever context asks'
        loaded > 500
        seenByServer.size() == loaded
        seenByServer[0].is(seenByWarmUp[0])
    }
}
