package io.fhirmig.run

import io.fhirmig.state.AppliedRecord
import io.fhirmig.state.LockInfo
import io.fhirmig.state.StateChange
import java.time.Instant
import org.hl7.fhir.r4.model.Bundle
import spock.lang.Specification

class RecordBatchesSpec extends Specification {

    static final LockInfo HELD = new LockInfo('me@host pid 1', 'stamp head', Instant.parse('2026-12-03T12:00:00Z'))

    static List<AppliedRecord> records(String... revisions) {
        revisions.collect { new AppliedRecord(it, 'sum-' + it, it + '.groovy', Instant.EPOCH, 'me@host', 0) }
    }

    static List<String> revisions(List<AppliedRecord> records) {
        records*.revision()
    }

    def "a change of at most the limit, or one that carries a step's own writes, is one transaction"() {
        given:
        def small = new StateChange(['c'], HELD, records('a', 'b', 'c'), [], [], [])
        def withWrites = new StateChange(['e'], HELD, records('a', 'b', 'c', 'd', 'e'), [], [], [new Bundle.BundleEntryComponent()])

        expect:
        RecordBatches.split([], HELD, small, 3) == [small]
        RecordBatches.split([], HELD, withWrites, 3) == [withWrites]
    }

    def "records created in several transactions: the heads change with the first, the lock is let go with the last"() {
        given: "a stamp from base to g, which releases the lock as it lands"
        def change = new StateChange(['g'], null, records('a', 'b', 'c', 'd', 'e', 'f', 'g'), [], [], [])

        when:
        def parts = RecordBatches.split([], HELD, change, 3)

        then:
        parts.collect { revisions(it.recordsToCreate()) } == [['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]
        parts*.heads() == [['g'], ['g'], ['g']]
        parts*.lock() == [HELD, HELD, null]
        parts.every { it.recordsToUpdate().isEmpty() && it.revisionsToForget().isEmpty() }
    }

    def "records forgotten in several transactions: under the old heads, the heads change with the last"() {
        given: "a stamp from e down to base"
        def change = new StateChange([], HELD, [], [], ['a', 'b', 'c', 'd', 'e'], [])

        when:
        def parts = RecordBatches.split(['e'], HELD, change, 2)

        then:
        parts*.revisionsToForget() == [['a', 'b'], ['c', 'd'], ['e']]
        parts*.heads() == [['e'], ['e'], []]
        parts*.lock() == [HELD, HELD, HELD]
    }

    def "forgotten before created: no state between holds a record of a revision that is not applied"() {
        given: "a stamp from one branch (x1, x2, x3) to another (y1, y2, y3, y4), with a repair's updated record"
        def change = new StateChange(['y4'], HELD, records('y1', 'y2', 'y3', 'y4'), records('m'), ['x1', 'x2', 'x3'], [])

        when:
        def parts = RecordBatches.split(['x3'], HELD, change, 3)

        then: "updates, then forgets, under the old head; then the creates under the new one"
        parts.collect { revisions(it.recordsToUpdate()) } == [['m'], [], [], []]
        parts*.revisionsToForget() == [['x1', 'x2'], ['x3'], [], []]
        parts.collect { revisions(it.recordsToCreate()) } == [[], [], ['y1', 'y2', 'y3'], ['y4']]
        parts*.heads() == [['x3'], ['x3'], ['y4'], ['y4']]
    }

    def "every record of the change is written once, in whatever parts"() {
        expect:
        [1, 2, 3, 5, 7, 200].every { max ->
            def change = new StateChange(['c9'], null, records(*(1..9).collect { "c$it".toString() }),
                    records('u1', 'u2'), (1..4).collect { "f$it".toString() }, [])
            def parts = RecordBatches.split(['f4'], HELD, change, max)
            parts.every { it.recordsToCreate().size() + it.recordsToUpdate().size() + it.revisionsToForget().size() <= max } &&
                    parts.collectMany { revisions(it.recordsToCreate()) } == revisions(change.recordsToCreate()) &&
                    parts.collectMany { revisions(it.recordsToUpdate()) } == revisions(change.recordsToUpdate()) &&
                    parts.collectMany { it.revisionsToForget() } == change.revisionsToForget() &&
                    parts.last().heads() == ['c9'] && parts.last().lock() == null
        }
    }
}
