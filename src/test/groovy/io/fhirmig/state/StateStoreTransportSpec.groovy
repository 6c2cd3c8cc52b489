package io.fhirmig.state

import ca.uhn.fhir.context.FhirContext
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.fhir.ConnectionOptions
import io.fhirmig.fhir.FhirConnection
import io.fhirmig.fhir.FhirConnectionSpec
import java.time.Instant
import spock.lang.Specification

/**
 * The state store reads and writes the state's JSON itself, sent either straight through fhirmig's own
 * HTTP client or through an application's HAPI client: both read back exactly what either wrote,
 * across pages of applied records, and both see another run's write as a conflict.
 */
class StateStoreTransportSpec extends Specification {

    String ns = ServerProbe.unique('transport')

    static FhirStateStore direct(String ns) {
        new FhirStateStore(FhirConnection.open(ConnectionOptions.of(TestServer.baseUrl())), ns)
    }

    static FhirStateStore throughClient(String ns) {
        new FhirStateStore(FhirConnection.of(TestServer.newClient()), ns)
    }

    static List<AppliedRecord> records(int count) {
        (1..count).collect { int i ->
            new AppliedRecord(String.format('r%05d', i), 'sha256:' + Integer.toHexString(i * 7919),
                    String.format('%05d_step.groovy', i), Instant.parse('2026-11-25T10:00:00.125Z').plusSeconds(i),
                    'dana@ci-4 pid 77 0c0ffee', i * 3L)
        }
    }

    def "the state is read without the server keeping the search; the records are paged from a kept one (#reader)"() {
        given: 'a state holding 1,050 records, more than one page, and a gateway that notes every request'
        FhirStateStore writing = direct(ns)
        LockInfo lock = new LockInfo('dana@ci-4 pid 77 0c0ffee', 'upgrade r01050', Instant.parse('2031-01-02T03:04:05.678Z'))
        writing.commit(writing.acquireLock(lock), new StateChange(['r01050'], null, records(1050), [], [], []))
        def gateway = new FhirConnectionSpec.BusyGateway(TestServer.baseUrl())
        gateway.rewriteLinks = true
        FhirStateStore reading = reader == 'direct'
                ? new FhirStateStore(FhirConnection.open(ConnectionOptions.of(gateway.baseUrl())), ns)
                : new FhirStateStore(FhirConnection.of(FhirContext.forR4Cached().newRestfulGenericClient(gateway.baseUrl())), ns)

        when:
        StateSnapshot state = reading.read()
        List<AppliedRecord> applied = reading.appliedRecords()

        then: 'every record is read, over two pages'
        state.heads() == ['r01050']
        applied.size() == 1050

        and: 'the state search asked the server not to store it; the records search did not, so it could be paged'
        def gets = gateway.seen.findAll { it.method == 'GET' }
        def stateSearches = gets.findAll { it.path.contains("urn:fhirmig:state|${ns}") }
        def recordPages = gets - stateSearches
        stateSearches.size() == 1
        stateSearches*.cacheControl*.replace(' ', '') == ['no-cache,no-store']
        // (The gateway gives the server's next links its own address: a link elsewhere is not followed.)
        recordPages.size() == 2
        recordPages.every { !it.cacheControl?.contains('no-store') }

        cleanup:
        gateway?.stop()

        where:
        reader << ['direct', 'client']
    }

    def "records written one way are read back exactly the other way, over more than one page (#writer -> #reader)"() {
        given: 'a state holding 1,050 records, more than one page of 1,000'
        FhirStateStore writing = stores[writer](ns)
        LockInfo lock = new LockInfo('dana@ci-4 pid 77 0c0ffee', 'upgrade r01050 (01050_step.groovy)',
                Instant.parse('2031-01-02T03:04:05.678Z'))
        StateSnapshot locked = writing.acquireLock(lock)
        List<AppliedRecord> written = records(1050)
        writing.commit(locked, new StateChange(['r01050'], lock, written, [], [], []))

        when:
        FhirStateStore reading = stores[reader](ns)
        StateSnapshot state = reading.read()

        then: 'every record with every field, the heads and the lock'
        reading.appliedRecords().sort { it.revision() } == written
        state.heads() == ['r01050']
        state.lock() == lock

        where:
        writer    | reader
        'direct'  | 'client'
        'client'  | 'direct'

        stores = [direct: StateStoreTransportSpec.&direct, client: StateStoreTransportSpec.&throughClient]
    }

    def "a commit from a state another run has moved since is refused, either way (#way)"() {
        given:
        FhirStateStore store = stores[way](ns)
        LockInfo lock = new LockInfo('erin@ci-5 pid 8 feed', 'upgrade a', Instant.now().plusSeconds(60))
        StateSnapshot stale = store.acquireLock(lock)
        store.commit(stale, StateChange.of(['a'], lock))

        when: 'a commit still based on the first version'
        store.commit(stale, StateChange.of(['b'], lock))

        then:
        thrown(StateChangedException)
        store.read().heads() == ['a']

        where:
        way << ['direct', 'client']
        stores = [direct: StateStoreTransportSpec.&direct, client: StateStoreTransportSpec.&throughClient]
    }

    def "records are updated and forgotten in place"() {
        given:
        FhirStateStore store = direct(ns)
        StateSnapshot state = store.acquireLock(new LockInfo('o', 's', Instant.now().plusSeconds(60)))
        List<AppliedRecord> three = records(3)
        state = store.commit(state, new StateChange(['r00003'], null, three, [], [], []))
        AppliedRecord redone = new AppliedRecord('r00002', 'sha256:new', '00002_renamed.groovy',
                Instant.parse('2027-02-03T04:05:06.007Z'), 'fay@laptop pid 9 beef', 42)

        when:
        store.commit(state, new StateChange(['r00002'], null, [], [redone], ['r00003'], []))

        then:
        store.appliedRecords().sort { it.revision() } == [three[0], redone]
        store.read().heads() == ['r00002']
        !store.read().locked()
    }
}
