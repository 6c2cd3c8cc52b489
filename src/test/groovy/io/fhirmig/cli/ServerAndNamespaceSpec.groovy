package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.state.LockInfo
import io.fhirmig.state.StateChange
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import spock.lang.Specification
import spock.lang.TempDir

/**
 * What the server holds must match the scripts: a stored head that no script declares stops runs
 * (exit 3, pointing at `stamp`); a server that cannot be reached is exit 4 with the URL shown without
 * credentials; namespaces on one server keep independent sets of migrations.
 */
class ServerAndNamespaceSpec extends Specification {

    @TempDir
    Path versions

    String ns = ServerProbe.unique('server')

    def "a stored head that no script declares: upgrade exits 3 and points at stamp"() {
        given: 'the state names a head that is not among the scripts'
        Scripts.chain(versions, ['n1', 'n2'])
        def store = ServerProbe.store(ns)
        def locked = store.acquireLock(new LockInfo('setup', 'setup', Instant.now().plusSeconds(60)))
        store.commit(locked, StateChange.of(['vanished-rev'], null))

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 3
        result.err.startsWith("error: the server's head 'vanished-rev' is declared by no script")
        result.err.contains('`fhirmig stamp REVISION`')
        ServerProbe.markers(ns) == []
        store.read().heads() == ['vanished-rev']
        store.read().lock() == null

        and: 'current shows the head as missing, with the warning; check refuses it'
        def current = Cli.on(ns, versions, 'current')
        current.code == 0
        current.outLines() == ['vanished-rev  (missing: no script declares it)', '2 pending; run `fhirmig upgrade`']
        current.err.contains("the server's head 'vanished-rev' is declared by no script")
        with(Cli.on(ns, versions, 'current', '--json').json()) {
            heads == [[revision: 'vanished-rev', file: null, description: null, applied: true, graphHead: false]]
            pending == ['n1', 'n2']
            warnings.any { it.contains("'vanished-rev' is declared by no script") }
        }
        Cli.on(ns, versions, 'check').code == 3

        when: 'stamp records where the data really is'
        def stamp = Cli.on(ns, versions, 'stamp', 'n1')
        def upgrade = Cli.on(ns, versions, 'upgrade')

        then:
        stamp.code == 0
        stamp.outLines() == ['stamped: n1 (was vanished-rev)']
        upgrade.code == 0
        ServerProbe.markers(ns) == ['n2:upgrade']
        store.read().heads() == ['n2']
    }

    def "a head stamped with a script that was later removed: upgrade exits 3 naming it"() {
        given:
        Scripts.chain(versions, ['m1', 'm2', 'm3'])
        assert Cli.on(ns, versions, 'stamp', 'head').code == 0
        Files.delete(versions.resolve('0003_m3.groovy'))

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 3
        result.err.contains("the server's head 'm3' is declared by no script")
        result.err.contains('fhirmig stamp')
        ServerProbe.markers(ns) == []
    }

    def "an unreachable server: #command exits 4, and the URL is shown without its credentials"() {
        given:
        Scripts.chain(versions, ['u1'])

        when:
        def result = Cli.run(*command, '--url', 'http://user:secret@127.0.0.1:1/fhir', '--versions', versions.toString(),
                '--namespace', ns)

        then: 'the error (on standard error; check reports it on standard output) names the URL without credentials'
        result.code == 4
        String shown = result.out + result.err
        shown.contains('cannot reach the FHIR server at http://127.0.0.1:1/fhir')
        !shown.contains('secret')
        !shown.contains('user:')
        !shown.contains('user@')

        where:
        command << [['upgrade'], ['downgrade', 'base'], ['current'], ['history'], ['check'], ['stamp', 'head'], ['unlock']]
    }

    def "check --offline checks the scripts and the graph without a server"() {
        given:
        Scripts.chain(versions, ['o1', 'o2'])
        String[] offline = ['check', '--offline', '--url', 'http://127.0.0.1:1/fhir', '--versions', versions.toString(),
                            '--namespace', ns]

        when:
        def ok = Cli.run(offline)

        then:
        ok.code == 0
        ok.outLines() == ['ok       migrations: 2 migration(s), 1 head(s)']

        when:
        Scripts.write(versions, '0003_orphan.groovy', Scripts.marking('o3', 'no-such-parent'))
        def bad = Cli.run(offline)

        then:
        bad.code == 3
        bad.outLines()[0].startsWith('PROBLEM  migrations: the migrations in ')
        bad.outLines()[0].endsWith('are invalid (1 problem):')
        bad.outLines()[1].startsWith("  - 0003_orphan.groovy: downRevision 'no-such-parent' of revision 'o3' is declared by no migration")
        bad.outLines().size() == 2
    }

    def "two namespaces on one server keep independent sets of migrations"() {
        given: 'the same scripts, applied to head in one namespace and to the first revision in the other'
        Scripts.chain(versions, ['p1', 'p2', 'p3'])
        String other = ServerProbe.unique('server-other')
        assert Cli.on(ns, versions, 'upgrade').code == 0
        assert Cli.on(other, versions, 'upgrade', 'p1').code == 0

        expect: 'each ran its own upgrades'
        ServerProbe.markers(ns) == ['p1:upgrade', 'p2:upgrade', 'p3:upgrade']
        ServerProbe.markers(other) == ['p1:upgrade']
        Cli.on(ns, versions, 'current').outLines() == ['p3 (head)  0003_p3.groovy']
        Cli.on(other, versions, 'current').outLines() == ['p1  0001_p1.groovy', '2 pending; run `fhirmig upgrade`']

        and: 'two states and two sets of records'
        ServerProbe.stateJson(ns).size() == 1
        ServerProbe.stateJson(other).size() == 1
        ServerProbe.stateJson(ns)[0].id != ServerProbe.stateJson(other)[0].id
        ServerProbe.appliedJson(ns).collect { it.identifier[0].value }.sort() == ['p1', 'p2', 'p3']
        ServerProbe.appliedJson(other).collect { it.identifier[0].value } == ['p1']

        when: 'one namespace goes back to base and the other is locked'
        assert Cli.on(other, versions, 'downgrade', 'base').code == 0
        ServerProbe.store(other).acquireLock(new LockInfo('eve@elsewhere pid 1 x', 'upgrade p2', Instant.now().plusSeconds(600)))

        then: 'the first is untouched and not locked'
        ServerProbe.markers(ns) == ['p1:upgrade', 'p2:upgrade', 'p3:upgrade']
        ServerProbe.store(ns).read().heads() == ['p3']
        ServerProbe.appliedJson(ns).size() == 3
        ServerProbe.appliedJson(other).empty
        Cli.on(ns, versions, 'downgrade').code == 0
        Cli.on(other, versions, 'upgrade').code == 5
        ServerProbe.store(ns).read().heads() == ['p2']
    }

    def "a namespace with other characters than letters, digits, '_', '.' and '-' is refused: '#bad'"() {
        given:
        Scripts.chain(versions, ['q1'])

        when:
        def result = Cli.on(bad, versions, command)

        then: 'a usage error naming the namespace, and nothing written'
        result.code == 2
        result.err.readLines() == ["error: namespace '${bad}' may hold only letters, digits, '_', '.' and '-'".toString()]
        ServerProbe.stateJson(bad).empty

        where:
        bad          | command
        'a b'        | 'upgrade'
        'team/one'   | 'current'
        'x|y'        | 'history'
        'ünicode'    | 'current'
    }

    def "a namespace of letters, digits, '_', '.' and '-' is taken: '#good'"() {
        given:
        Scripts.chain(versions, ['q1'])

        expect:
        Cli.on(good, versions, 'upgrade').code == 0
        ServerProbe.markers(good) == ['q1:upgrade']

        where:
        good << [ServerProbe.unique('Team_1.two-3'), ServerProbe.unique('z.9')]
    }
}
