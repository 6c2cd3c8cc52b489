package io.fhirmig.fhir.embedded

import ca.uhn.fhir.jpa.util.MemoryCacheService
import ca.uhn.fhir.rest.client.api.IGenericClient
import io.fhirmig.TestServer
import org.hl7.fhir.r4.model.Bundle
import org.hl7.fhir.r4.model.HumanName
import org.hl7.fhir.r4.model.Patient
import spock.lang.Shared
import spock.lang.Specification

/**
 * The embedded server resolves a transaction's ids from H2's index rather than by reading the whole
 * resource table (ResourceIdQueries): the same answers, and the rewrite still meets the query the
 * HAPI on the class path sends. After a HAPI upgrade that phrases it differently, the last feature
 * fails: every rewrite of a large store would again slow down with the store's size.
 */
class ResourceIdQueriesSpec extends Specification {

    static final String HAPI_QUERY = 'select rt1_0.RES_ID,rt1_0.RES_TYPE,rt1_0.FHIR_ID,rt1_0.RES_DELETED_AT,' +
            'rt1_0.PARTITION_ID from HFJ_RESOURCE rt1_0 where (rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=? or ' +
            'rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=? or rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=?)'

    @Shared
    IGenericClient client = TestServer.newClient()

    def "turns HAPI's chain of (type, id) pairs into a row-value list, parameters in the same order"() {
        expect:
        new ResourceIdQueries().inspect(HAPI_QUERY) == 'select rt1_0.RES_ID,rt1_0.RES_TYPE,rt1_0.FHIR_ID,' +
                'rt1_0.RES_DELETED_AT,rt1_0.PARTITION_ID from HFJ_RESOURCE rt1_0 where ' +
                '(rt1_0.RES_TYPE,rt1_0.FHIR_ID) in ((?,?),(?,?),(?,?))'
    }

    def "keeps a condition beside the chain, and leaves every other statement alone"() {
        given:
        def queries = new ResourceIdQueries()
        def partitioned = HAPI_QUERY.replace('where (', 'where rt1_0.PARTITION_ID is null and (')

        expect:
        queries.inspect(partitioned).endsWith(
                'where rt1_0.PARTITION_ID is null and (rt1_0.RES_TYPE,rt1_0.FHIR_ID) in ((?,?),(?,?),(?,?))')
        queries.inspect(sql) == sql
        queries.rewritten() == 1

        where:
        sql << [
                'select rt1_0.RES_ID from HFJ_RESOURCE rt1_0 where (rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=?)',
                'select rt1_0.RES_ID from HFJ_RESOURCE rt1_0 where (rt1_0.FHIR_ID=? or rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=?)',
                'select rt1_0.RES_ID from HFJ_RESOURCE rt1_0 where (rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=? or x.RES_TYPE=? and x.FHIR_ID=?)',
                'update HFJ_RESOURCE set RES_VER=? where RES_ID=?',
        ]
    }

    def "a transaction of updates to stored Patients updates exactly those, through the rewritten query"() {
        given: 'three stored Patients, their ids no longer in HAPI\'s memory, as after a restart'
        def stored = (1..3).collect { i ->
            client.create().resource(new Patient().addName(new HumanName().setFamily("Ids$i")))
                    .execute().id.toUnqualifiedVersionless()
        }
        def other = client.create().resource(new Patient().addName(new HumanName().setFamily('Untouched')))
                .execute().id.toUnqualifiedVersionless()
        TestServer.get().bean(MemoryCacheService).invalidateAllCaches()
        long before = TestServer.get().bean(ResourceIdQueries).rewritten()
        def transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION)
        stored.eachWithIndex { id, i ->
            def patient = new Patient().addName(new HumanName().setFamily("Updated$i"))
            patient.id = id.idPart
            transaction.addEntry().setResource(patient).request
                    .setMethod(Bundle.HTTPVerb.PUT).setUrl(id.value).setIfMatch('W/"1"')
        }

        when:
        def response = client.transaction().withBundle(transaction).execute()

        then: 'each entry updated its own Patient to version 2; the fourth is untouched'
        response.entry*.response*.status == ['200 OK'] * 3
        stored.withIndex().every { id, i ->
            def read = client.read().resource(Patient).withId(id).execute()
            read.meta.versionId == '2' && read.nameFirstRep.family == "Updated$i"
        }
        client.read().resource(Patient).withId(other).execute().meta.versionId == '1'

        and: 'HAPI looked the three ids up in one query, the one rewritten'
        TestServer.get().bean(ResourceIdQueries).rewritten() > before
    }
}
