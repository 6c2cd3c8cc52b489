package io.fhirmig.run

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A migration that throws stops the run: the steps before it stay applied with the head on the last
 * of them, the steps after it never run, the lock is released and the message names the file and line.
 */
class FailedStepSpec extends Specification {

    @TempDir
    Path versions

    String ns = ServerProbe.unique('failed-step')

    def "a migration that throws in the middle of three: the first stays applied, the third never runs, exit 1"() {
        given:
        Scripts.write(versions, '0001_first.groovy', Scripts.marking('f1', null))
        String failing = Scripts.marking('f2', 'f1', '''mark('upgrade')
    def patient = fhir.read().resource(Patient).withId('no-such-patient-here').execute()''')
        Scripts.write(versions, '0002_fails.groovy', failing)
        Scripts.write(versions, '0003_third.groovy', Scripts.marking('f3', 'f2'))
        int line = Scripts.lineOf(failing, 'no-such-patient-here')

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then: 'exit code 1 and one line naming the file, the line and the cause'
        result.code == 1
        result.err.startsWith("error: 0002_fails.groovy:${line}: upgrade() failed: ResourceNotFoundException")
        result.err.contains('the head stays at f1')
        result.err.contains('may have written part of its data')
        result.err.readLines().size() == 1
        result.out == ''

        and: 'the first ran once and is applied; the second ran up to its error; the third never ran'
        ServerProbe.markers(ns) == ['f1:upgrade', 'f2:upgrade']

        and: 'the head is on the first, only the first has a record, and the lock is free'
        def state = ServerProbe.store(ns).read()
        state.heads() == ['f1']
        state.lock() == null
        ServerProbe.store(ns).appliedRecords()*.revision() == ['f1']

        and: 'current says so'
        Cli.on(ns, versions, 'current').outLines() == ['f1  0001_first.groovy', '2 pending; run `fhirmig upgrade`']
    }

    def "after the failing migration is fixed, the run continues where it stopped"() {
        given:
        Scripts.write(versions, '0001_first.groovy', Scripts.marking('g1', null))
        Scripts.write(versions, '0002_fails.groovy', Scripts.marking('g2', 'g1', "throw new IllegalStateException('not yet')"))
        Scripts.write(versions, '0003_third.groovy', Scripts.marking('g3', 'g2'))
        assert Cli.on(ns, versions, 'upgrade').code == 1

        when:
        Scripts.write(versions, '0002_fails.groovy', Scripts.marking('g2', 'g1'))
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 0
        result.out.contains('upgraded 2 migration(s)')
        ServerProbe.markers(ns) == ['g1:upgrade', 'g2:upgrade', 'g3:upgrade']
        ServerProbe.store(ns).read().heads() == ['g3']
    }

    def "a downgrade that throws leaves the head on the last step that succeeded"() {
        given:
        Scripts.write(versions, '0001_first.groovy', Scripts.marking('h1', null))
        String failing = Scripts.marking('h2', 'h1', "mark('upgrade')", "assert migration.parameters.allow == 'yes'")
        Scripts.write(versions, '0002_second.groovy', failing)
        Scripts.write(versions, '0003_third.groovy', Scripts.marking('h3', 'h2'))
        assert Cli.on(ns, versions, 'upgrade').code == 0

        when:
        def result = Cli.on(ns, versions, 'downgrade', 'base')

        then:
        result.code == 1
        result.err.startsWith("error: 0002_second.groovy:${Scripts.lineOf(failing, 'assert migration')}: downgrade() failed:")
        ServerProbe.markers(ns) == ['h1:upgrade', 'h2:upgrade', 'h3:downgrade', 'h3:upgrade']
        ServerProbe.store(ns).read().heads() == ['h2']
        ServerProbe.store(ns).read().lock() == null
        ServerProbe.store(ns).appliedRecords()*.revision().sort() == ['h1', 'h2']
    }
}
