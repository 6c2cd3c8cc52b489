package io.fhirmig.state

import io.fhirmig.Cli
import io.fhirmig.FaultProxy
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.script.Checksums
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The state as it lies on the server, read as raw JSON over HTTP: the format DESIGN.md promises users
 * ("State on the FHIR server"), stamp and reset, and the trail of state versions in _history.
 */
class StateFormatSpec extends Specification {

    static final List<String> REVISIONS = ['a1', 'a2', 'a3']
    static final String USER = System.getProperty('user.name')

    @TempDir
    Path versions

    String ns = ServerProbe.unique('format')

    def setup() {
        Scripts.chain(versions, REVISIONS)
    }

    String checksumOf(String fileName) {
        Checksums.of(Files.readString(versions.resolve(fileName)))
    }

    def "stamp head records every migration as applied without running any; reset forgets them, running none"() {
        when:
        def stamp = Cli.on(ns, versions, 'stamp', 'head')

        then:
        stamp.code == 0
        stamp.outLines() == ['stamped: a3 (was base)']
        ServerProbe.markers(ns) == []
        ServerProbe.store(ns).read().heads() == ['a3']
        def records = ServerProbe.store(ns).appliedRecords().sort { it.revision() }
        records*.revision() == REVISIONS
        records*.file() == ['0001_a1.groovy', '0002_a2.groovy', '0003_a3.groovy']
        records*.checksum() == records*.file().collect { checksumOf(it) }
        records.every { it.appliedBy().startsWith(USER + '@') && it.durationMs() == 0 }

        and: 'an upgrade then has nothing to do'
        Cli.on(ns, versions, 'upgrade').code == 0
        ServerProbe.markers(ns) == []

        when:
        def reset = Cli.on(ns, versions, 'reset')

        then: 'nothing applied, no record left, and no downgrade() ran'
        reset.code == 0
        reset.outLines() == ['stamped: base (was a3)']
        ServerProbe.markers(ns) == []
        ServerProbe.store(ns).read().heads() == []
        ServerProbe.appliedJson(ns) == []
        Cli.on(ns, versions, 'current').outLines() == ['base (nothing applied)', '3 pending; run `fhirmig upgrade`']

        when: 'so an upgrade runs them all'
        def upgrade = Cli.on(ns, versions, 'upgrade')

        then:
        upgrade.code == 0
        ServerProbe.markers(ns) == ['a1:upgrade', 'a2:upgrade', 'a3:upgrade']
    }

    def "stamp to a revision in the middle adds and removes records to match"() {
        given:
        assert Cli.on(ns, versions, 'stamp', 'a1').code == 0

        when:
        def up = Cli.on(ns, versions, 'stamp', 'a3')

        then:
        up.outLines() == ['stamped: a3 (was a1)']
        ServerProbe.store(ns).appliedRecords()*.revision().sort() == REVISIONS

        when:
        def down = Cli.on(ns, versions, 'stamp', 'a2')

        then:
        down.outLines() == ['stamped: a2 (was a3)']
        ServerProbe.store(ns).appliedRecords()*.revision().sort() == ['a1', 'a2']
        ServerProbe.store(ns).read().heads() == ['a2']
        ServerProbe.markers(ns) == []
    }

    def "the state resource has the documented format"() {
        given:
        assert Cli.on(ns, versions, 'upgrade', 'a2').code == 0

        when:
        def states = ServerProbe.stateJson(ns)

        then: 'one state for the namespace'
        states.size() == 1
        def state = states[0]
        state.resourceType == 'Basic'
        state.identifier == [[system: 'urn:fhirmig:state', value: ns]]
        state.code == [coding: [[system: 'urn:fhirmig', code: 'migration-state']]]

        and: 'the format, the head, and no lock once the run is over'
        state.extension == [
                [url: 'urn:fhirmig:format', valueInteger: 1],
                [url: 'urn:fhirmig:head', valueString: 'a2'],
        ]
    }

    def "a lock is kept in the state in the documented format"() {
        given:
        def expiresAt = Instant.parse('2031-11-25T10:10:00.250Z')
        ServerProbe.store(ns).acquireLock(new LockInfo('alice@build-7 pid 4711 3f2a9c1e', 'upgrade a2 (0002_a2.groovy)', expiresAt))

        when:
        def state = ServerProbe.stateJson(ns)[0]

        then:
        state.extension == [
                [url: 'urn:fhirmig:format', valueInteger: 1],
                [url: 'urn:fhirmig:lock', extension: [
                        [url: 'owner', valueString: 'alice@build-7 pid 4711 3f2a9c1e'],
                        [url: 'step', valueString: 'upgrade a2 (0002_a2.groovy)'],
                        [url: 'expiresAt', valueDateTime: '2031-11-25T10:10:00.250Z']]],
        ]
    }

    def "the applied records have the documented format"() {
        given:
        Instant before = Instant.now().minusSeconds(1)
        assert Cli.on(ns, versions, 'upgrade').code == 0

        when:
        def records = ServerProbe.appliedJson(ns).sort { it.identifier[0].value }

        then:
        records.size() == 3
        records.eachWithIndex { Map record, int i ->
            String revision = REVISIONS[i]
            String file = String.format('%04d_%s.groovy', i + 1, revision)
            assert record.resourceType == 'Basic'
            assert record.identifier == [[system: "urn:fhirmig:applied:${ns}".toString(), value: revision]]
            assert record.code == [coding: [[system: 'urn:fhirmig', code: 'applied-migration']]]
            assert record.extension.size() == 1
            assert record.extension[0].url == 'urn:fhirmig:applied'
            def fields = record.extension[0].extension
            assert fields*.url == ['revision', 'checksum', 'file', 'appliedAt', 'appliedBy', 'durationMs']
            assert fields[0] == [url: 'revision', valueString: revision]
            assert fields[1] == [url: 'checksum', valueString: checksumOf(file)]
            assert fields[1].valueString ==~ /sha256:[0-9a-f]{64}/
            assert fields[2] == [url: 'file', valueString: file]
            assert Instant.parse(fields[3].valueDateTime).isAfter(before)
            assert !Instant.parse(fields[3].valueDateTime).isAfter(Instant.now())
            assert fields[4].valueString.startsWith(USER + '@')
            assert fields[5].valueInteger instanceof Integer && fields[5].valueInteger >= 0
        }
    }

    def "every change of the state leaves a version in its _history"() {
        given:
        assert Cli.on(ns, versions, 'upgrade').code == 0
        String id = ServerProbe.stateJson(ns)[0].id

        when:
        def versionsAfterUpgrade = ServerProbe.historyJson('Basic', id).reverse()

        then: 'no version is missing'
        versionsAfterUpgrade*.meta*.versionId == (1..versionsAfterUpgrade.size())*.toString()

        and: 'the head moved one step per version, from base to a3, and the lock was held until the last version'
        headsOf(versionsAfterUpgrade).unique(false) == [[], ['a1'], ['a2'], ['a3']]
        versionsAfterUpgrade.first().extension.every { it.url != 'urn:fhirmig:lock' }
        versionsAfterUpgrade.last().extension.every { it.url != 'urn:fhirmig:lock' }
        versionsAfterUpgrade[1..-2].every { version -> version.extension.any { it.url == 'urn:fhirmig:lock' } }
        // Consecutive duplicates aside, each head appears once: a step is one version.
        headsOf(versionsAfterUpgrade).count { it == ['a1'] } == 1
        headsOf(versionsAfterUpgrade).count { it == ['a2'] } == 1

        when:
        assert Cli.on(ns, versions, 'reset').code == 0
        def versionsAfterReset = ServerProbe.historyJson('Basic', id).reverse()

        then: 'the older versions are all still there, and the newest has no head and no lock'
        versionsAfterReset.size() > versionsAfterUpgrade.size()
        versionsAfterReset.take(versionsAfterUpgrade.size()) == versionsAfterUpgrade
        versionsAfterReset.last().extension == [[url: 'urn:fhirmig:format', valueInteger: 1]]
    }

    def "a stamp of more records than one transaction holds writes them in parts, the head with the first"() {
        given: "450 migrations: three transactions of at most 200 records"
        Path many = Files.createDirectories(versions.resolve('many'))
        List<String> revisions = Scripts.chain(many, (1..450).collect { String.format('m%03d', it) })

        when:
        def stamp = Cli.on(ns, many, 'stamp', 'head')

        then: "every migration recorded once, none run"
        stamp.code == 0
        stamp.outLines() == ['stamped: m450 (was base)']
        ServerProbe.markers(ns) == []
        ServerProbe.store(ns).read().heads() == ['m450']
        ServerProbe.getJson("Basic?identifier=${ServerProbe.enc("urn:fhirmig:applied:${ns}|")}&_summary=count").total == 450
        ServerProbe.store(ns).appliedRecords()*.revision().sort() == revisions

        and: "the head was set under the lock, which was let go once the last records landed"
        // (HAPI keeps no version for a write that changes nothing, so the parts need not each leave one.)
        String id = ServerProbe.stateJson(ns)[0].id
        def trail = ServerProbe.historyJson('Basic', id).reverse()
        def firstWithHead = trail.find { headsOf([it])[0] == ['m450'] }
        firstWithHead.extension.any { it.url == 'urn:fhirmig:lock' }
        headsOf([trail.last()])[0] == ['m450']
        trail.last().extension.every { it.url != 'urn:fhirmig:lock' }

        and: "the state agrees with itself: an upgrade has nothing to do"
        Cli.on(ns, many, 'upgrade').code == 0
        ServerProbe.markers(ns) == []

        when:
        def reset = Cli.on(ns, many, 'reset')

        then: "every record forgotten, in parts as well, and the head is base"
        reset.code == 0
        reset.outLines() == ['stamped: base (was m450)']
        ServerProbe.appliedJson(ns) == []
        ServerProbe.store(ns).read().heads() == []
    }

    def "a stamp stopped between its transactions leaves applied revisions unrecorded, never the reverse; a stamp run again finishes it"() {
        given: "450 migrations, and a server that refuses the stamp's second transaction of records"
        Path many = Files.createDirectories(versions.resolve('many'))
        List<String> revisions = Scripts.chain(many, (1..450).collect { String.format('m%03d', it) })
        def proxy = new FaultProxy(TestServer.baseUrl())
        int transactionsWithRecords = 0
        proxy.rule(method: 'POST', match: { it.bodyText().contains('ifNoneExist') && ++transactionsWithRecords == 2 },
                fault: FaultProxy.status(400))

        when:
        def stamp = Cli.run('stamp', 'head', '--url', proxy.baseUrl(), '--versions', many.toString(), '--namespace', ns)

        then: "it fails, saying how far it got and what finishes it, with the head set by its first transaction, 200 records, and the lock let go"
        stamp.code == 4
        stamp.err.contains('The stamp stopped after 1 of its 3 transactions of records: the head is m450')
        stamp.err.contains('until `fhirmig stamp head` is run again to finish it')
        ServerProbe.store(ns).read().heads() == ['m450']
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.getJson("Basic?identifier=${ServerProbe.enc("urn:fhirmig:applied:${ns}|")}&_summary=count").total == 200

        when: "an upgrade meanwhile"
        def upgrade = Cli.on(ns, many, 'upgrade')

        then: "refuses, naming the contradiction and the repair, and runs nothing"
        upgrade.code == 4
        upgrade.err.contains('no applied record')
        upgrade.err.contains('fhirmig repair')
        ServerProbe.markers(ns) == []

        when: "the stamp again"
        def again = Cli.on(ns, many, 'stamp', 'head')

        then: "every record is there once, and an upgrade has nothing to do"
        again.code == 0
        finished(many, revisions)

        cleanup:
        proxy?.close()
    }

    def "a reset stopped between its transactions has forgotten records under the old head, and says to reset again"() {
        given: "450 migrations stamped at the head, and a server that refuses the reset's second transaction of forgets"
        Path many = Files.createDirectories(versions.resolve('many'))
        Scripts.chain(many, (1..450).collect { String.format('m%03d', it) })
        assert Cli.on(ns, many, 'stamp', 'head').code == 0
        def proxy = new FaultProxy(TestServer.baseUrl())
        int transactionsWithForgets = 0
        proxy.rule(method: 'POST', match: { it.bodyText().contains('"DELETE"') && ++transactionsWithForgets == 2 },
                fault: FaultProxy.status(400))

        when:
        def reset = Cli.run('reset', '--url', proxy.baseUrl(), '--versions', many.toString(), '--namespace', ns)

        then: "it fails, naming reset again; the head is still m450, 200 records are forgotten, and the lock is let go"
        reset.code == 4
        reset.err.contains('The reset stopped after 1 of its 3 transactions of records: the head is m450')
        reset.err.contains('until `fhirmig reset` is run again to finish it')
        ServerProbe.store(ns).read().heads() == ['m450']
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).appliedRecords().size() == 250

        when: "reset again"
        def again = Cli.on(ns, many, 'reset')

        then: "every record is forgotten and the head is base"
        again.code == 0
        ServerProbe.appliedJson(ns) == []
        ServerProbe.store(ns).read().heads() == []

        cleanup:
        proxy?.close()
    }

    def "a repair stopped between its transactions says to repair again, which finishes it"() {
        given: "450 migrations, a stamp stopped after its first transaction (head m450, 200 records), and a server that refuses the repair's second transaction"
        Path many = Files.createDirectories(versions.resolve('many'))
        List<String> revisions = Scripts.chain(many, (1..450).collect { String.format('m%03d', it) })
        def proxy = new FaultProxy(TestServer.baseUrl())
        int transactionsWithRecords = 0
        proxy.rule(method: 'POST', match: { it.bodyText().contains('ifNoneExist') && ++transactionsWithRecords in [2, 4] },
                times: 2, fault: FaultProxy.status(400))
        assert Cli.run('stamp', 'head', '--url', proxy.baseUrl(), '--versions', many.toString(), '--namespace', ns).code == 4
        assert ServerProbe.store(ns).appliedRecords().size() == 200

        when: "a repair of the 250 missing records, in two transactions, the second refused"
        def repair = Cli.run('repair', '--url', proxy.baseUrl(), '--versions', many.toString(), '--namespace', ns)

        then:
        repair.code == 4
        repair.err.contains('The repair stopped after 1 of its 2 transactions of records: the head is m450')
        repair.err.contains('until `fhirmig repair` is run again to finish it')
        ServerProbe.store(ns).appliedRecords().size() == 400
        ServerProbe.store(ns).read().lock() == null

        when: "repair again"
        def again = Cli.on(ns, many, 'repair')

        then: "every record once, and an upgrade has nothing to run"
        again.code == 0
        finished(many, revisions)

        cleanup:
        proxy?.close()
    }

    /** A change stopped part-way and run again: one record of every revision, and an upgrade runs nothing. */
    boolean finished(Path many, List<String> revisions) {
        assert ServerProbe.store(ns).appliedRecords()*.revision().sort() == revisions
        assert Cli.on(ns, many, 'upgrade').code == 0
        assert ServerProbe.markers(ns) == []
        true
    }

    static List<List<String>> headsOf(List<Map> stateVersions) {
        stateVersions.collect { version -> version.extension.findAll { it.url == 'urn:fhirmig:head' }*.valueString }
    }
}
