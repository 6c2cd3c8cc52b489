package io.fhirmig.run

import io.fhirmig.Scripts
import io.fhirmig.api.MigrationStatus.State
import io.fhirmig.state.AppliedRecord
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The status view's rows from the scripts, the stored heads and the records, without a server: the
 * state of each migration and the order base to head.
 */
class StatusRowsSpec extends Specification {

    @TempDir
    Path versions

    static final Instant T0 = Instant.parse('2026-12-02T10:00:00Z')

    MigrationSet chain(List<String> revisions) {
        Scripts.chain(versions, revisions)
        MigrationSet.load(versions)
    }

    AppliedRecord record(MigrationSet migrations, String revision, int minute, String checksum = null) {
        String file = migrations.graph().contains(revision) ? migrations.script(revision).fileName() : "gone_${revision}.groovy"
        new AppliedRecord(revision, checksum ?: migrations.script(revision).checksum(), file, T0.plusSeconds(60 * minute),
                'me@host', 25)
    }

    def "applied, then pending; an applied script whose checksum differs is edited"() {
        given:
        def migrations = chain(['a', 'b', 'c'])
        def records = [record(migrations, 'a', 0), record(migrations, 'b', 1, 'sha256:' + '0' * 64)]

        when:
        def rows = StatusRows.of(migrations, ['b'], records)

        then:
        rows*.revision == ['a', 'b', 'c']
        rows*.state == [State.APPLIED, State.EDITED, State.PENDING]
        rows[1].checksum == 'sha256:' + '0' * 64
        rows[1].fileChecksum == migrations.script('b').checksum()
        rows[1].duration.toMillis() == 25
        rows[2].appliedAt == null
        rows[2].checksum == migrations.script('c').checksum()
    }

    def "applied rows come in the order they were applied, not the graph's"() {
        given: 'two branches from a, applied c before b'
        def migrations = chain(['a'])
        Scripts.write(versions, '0002_b.groovy', Scripts.marking('b', 'a'))
        Scripts.write(versions, '0003_c.groovy', Scripts.marking('c', 'a'))
        migrations = MigrationSet.load(versions)

        expect:
        StatusRows.of(migrations, ['b', 'c'], [record(migrations, 'a', 0), record(migrations, 'b', 9),
                                               record(migrations, 'c', 5)])*.revision == ['a', 'c', 'b']
    }

    def "an applied head whose file is gone is missing, and the records say what else is applied"() {
        given: 'c applied, then its file deleted'
        def all = chain(['a', 'b', 'c'])
        def records = ['a', 'b', 'c'].withIndex().collect { String r, int i -> record(all, r, i) }
        Files.delete(versions.resolve('0003_c.groovy'))
        def migrations = MigrationSet.load(versions)

        expect:
        StatusRows.unknownHeads(migrations, ['c']) == ['c']
        with(StatusRows.of(migrations, ['c'], records)) {
            it*.revision == ['a', 'b', 'c']
            it*.state == [State.APPLIED, State.APPLIED, State.MISSING]
            it[2].file == '0003_c.groovy'
            it[2].description == null
            it[2].fileChecksum == null
            it[2].appliedAt == T0.plusSeconds(120)
        }
    }

    def "a stored head with no script and no record is still shown, as missing, after the applied ones"() {
        given:
        def migrations = chain(['a', 'b'])

        expect:
        with(StatusRows.of(migrations, ['vanished'], [])) {
            it*.revision == ['vanished', 'a', 'b']
            it*.state == [State.MISSING, State.PENDING, State.PENDING]
            it[0].file == null
        }
    }

    def "revisions applied without a record (a stamp of an older tool, the Python tool's state) are applied, first"() {
        given:
        def migrations = chain(['a', 'b', 'c'])

        expect:
        with(StatusRows.of(migrations, ['b'], [])) {
            it*.state == [State.APPLIED, State.APPLIED, State.PENDING]
            it[0..1].every { it.appliedAt == null && it.checksum == null && it.duration == null }
            it[0..1]*.fileChecksum == [migrations.script('a').checksum(), migrations.script('b').checksum()]
        }
        with(StatusRows.of(migrations, ['b'], [record(migrations, 'b', 3)])) {
            it*.revision == ['a', 'b', 'c']
            it[1].appliedAt != null
        }
    }

    def "nothing applied and no scripts: no rows"() {
        expect:
        StatusRows.of(MigrationSet.load(versions), [], []) == []
    }
}
