package io.fhirmig.run

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Steps whose scripts send nothing to the server commit together, yet every script, every failure
 * and every reader finds the server as if each step had committed on its own.
 */
class StepCommitsSpec extends Specification {

    @TempDir
    Path versions

    String ns = ServerProbe.unique('step-commits')

    /** A migration whose functions do nothing: no request, no writes. */
    static String quiet(String revision, String downRevision, String upgradeBody = '') {
        """\
revision     = '${revision}'
downRevision = ${downRevision == null ? 'null' : "'" + downRevision + "'"}

void upgrade() {
    ${upgradeBody}
}

void downgrade() {
}
"""
    }

    /** A script body that fails unless the server already has the applied records of these revisions. */
    static String requireApplied(List<String> revisions) {
        revisions.collect { revision ->
            """if (fhir.search().byUrl('Basic?identifier=' + URLEncoder.encode('urn:fhirmig:applied:' + migration.namespace + '|${revision}', 'UTF-8'))
            .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
            .returnBundle(org.hl7.fhir.r4.model.Bundle).execute().entry.size() != 1) {
        throw new IllegalStateException('${revision} is not committed yet')
    }"""
        }.join('\n    ')
    }

    /** How many versions of this namespace's state the server holds: one per commit. */
    int stateVersions() {
        ServerProbe.historyJson('Basic', ServerProbe.store(ns).read().resourceId()).size()
    }

    def "five steps that send nothing commit as one; the records and the head are each step's"() {
        given:
        String parent = null
        (1..5).each { i ->
            Scripts.write(versions, "000${i}_q${i}.groovy", quiet("q${i}", parent))
            parent = "q${i}"
        }

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 0
        def store = ServerProbe.store(ns)
        store.read().heads() == ['q5']
        store.read().lock() == null
        store.appliedRecords()*.revision().sort() == ['q1', 'q2', 'q3', 'q4', 'q5']
        store.appliedRecords()*.file().sort() == (1..5).collect { "000${it}_q${it}.groovy" }

        and: 'created, locked, the lock naming the first step, the five steps, released: five versions, not nine'
        stateVersions() == 5

        when: 'all the way down'
        def down = Cli.on(ns, versions, 'downgrade', 'base')

        then:
        down.code == 0
        ServerProbe.store(ns).read().heads() == []
        ServerProbe.store(ns).appliedRecords() == []
        stateVersions() == 5 + 4
    }

    def "a script that asks the server finds every step before it committed"() {
        given:
        Scripts.write(versions, '0001_a.groovy', quiet('a', null))
        Scripts.write(versions, '0002_b.groovy', quiet('b', 'a'))
        Scripts.write(versions, '0003_c.groovy', quiet('c', 'b', requireApplied(['a', 'b'])))
        Scripts.write(versions, '0004_d.groovy', quiet('d', 'c', requireApplied(['a', 'b', 'c'])))

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 0
        ServerProbe.store(ns).read().heads() == ['d']
    }

    def "a failing script after steps that sent nothing: they are committed, the head is the last of them"() {
        given:
        Scripts.write(versions, '0001_a.groovy', quiet('a', null))
        Scripts.write(versions, '0002_b.groovy', quiet('b', 'a'))
        Scripts.write(versions, '0003_fails.groovy', quiet('c', 'b', "throw new IllegalStateException('not yet')"))
        Scripts.write(versions, '0004_d.groovy', quiet('d', 'c'))

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 1
        result.err.contains('the head stays at b')
        def store = ServerProbe.store(ns)
        store.read().heads() == ['b']
        store.read().lock() == null
        store.appliedRecords()*.revision().sort() == ['a', 'b']
    }

    def "a step with writes of its own commits alone, after the steps that waited"() {
        given:
        Scripts.write(versions, '0001_a.groovy', quiet('a', null))
        Scripts.write(versions, '0002_b.groovy', quiet('b', 'a'))
        Scripts.write(versions, '0003_writes.groovy', quiet('c', 'b', '''migration.create(new org.hl7.fhir.r4.model.Basic()
            .setCode(new org.hl7.fhir.r4.model.CodeableConcept().setText('written by c')))''').replace(
                "downRevision = 'b'", "downRevision = 'b'\ntransactional = true"))
        Scripts.write(versions, '0004_d.groovy', quiet('d', 'c'))

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 0
        ServerProbe.store(ns).read().heads() == ['d']
        ServerProbe.store(ns).appliedRecords()*.revision().sort() == ['a', 'b', 'c', 'd']
        ServerProbe.getJson('Basic?code:text=' + ServerProbe.enc('written by c')).total == 1

        and: 'created, locked, the lock naming a, a and b, c alone, d, released'
        stateVersions() == 7
    }

    def "through a client an application made, whose requests fhirmig cannot see, every step commits on its own"() {
        given:
        Scripts.write(versions, '0001_a.groovy', quiet('a', null))
        Scripts.write(versions, '0002_b.groovy', quiet('b', 'a'))
        Scripts.write(versions, '0003_c.groovy', quiet('c', 'b'))

        when:
        def result
        try (def fhirmig = io.fhirmig.Fhirmig.configure().client(io.fhirmig.TestServer.newClient()).versions(versions)
                .namespace(ns).load()) {
            result = fhirmig.upgrade()
        }

        then:
        result.steps()*.revision() == ['a', 'b', 'c']
        ServerProbe.store(ns).read().heads() == ['c']

        and: 'created, locked, the lock naming a, a, b, c, released'
        stateVersions() == 7
    }

    def "no transaction takes more than its limit of steps, and no commit waits longer than its limit"() {
        given:
        def connection = io.fhirmig.fhir.FhirConnection.open(io.fhirmig.fhir.ConnectionOptions.of(io.fhirmig.TestServer.baseUrl()))
        def store = new io.fhirmig.state.FhirStateStore(connection, ns)
        def identity = RunIdentity.current()
        def state = store.acquireLock(new io.fhirmig.state.LockInfo(identity.lockOwner(), 'spec', java.time.Instant.now().plusSeconds(60)))
        int before = stateVersions()

        when: 'five steps, at most two a transaction'
        def lease = new Lease(identity.lockOwner(), java.time.Duration.ofSeconds(60), 'spec')
        def commits = new StepCommits(store, new AuditLog(ns, 'spec', identity), connection, state, lease, 2, Long.MAX_VALUE)
        List<Integer> versionsAfterEach = (1..5).collect { i ->
            commits.add(waiting("l${i}", state.lock()))
            stateVersions() - before
        }
        commits.commitWaiting()
        commits.close()

        then:
        versionsAfterEach == [0, 1, 1, 2, 2]
        stateVersions() - before == 3
        commits.done()*.revision() == ['l1', 'l2', 'l3', 'l4', 'l5']
        store.read().heads() == ['l5']
        store.appliedRecords()*.revision().sort() == ['l1', 'l2', 'l3', 'l4', 'l5']

        when: 'at most one step a transaction: each step commits when it is added'
        def eager = new StepCommits(store, new AuditLog(ns, 'spec', identity), connection, commits.committed(), lease, 1,
                Long.MAX_VALUE)
        eager.add(waiting('l6', state.lock()))
        eager.close()

        then:
        stateVersions() - before == 4
        store.read().heads() == ['l6']
    }

    private static StepCommits.Waiting waiting(String revision, io.fhirmig.state.LockInfo lock) {
        def record = new io.fhirmig.state.AppliedRecord(revision, 'sha256:' + revision, revision + '.groovy',
                java.time.Instant.now(), 'spec@host', 1)
        new StepCommits.Waiting(new io.fhirmig.api.MigrationStep(revision, revision + '.groovy', io.fhirmig.api.Direction.UPGRADE, java.time.Duration.ofMillis(1)),
                'upgrade', new io.fhirmig.state.StateChange([revision], lock, [record], [], [], []))
    }
}
