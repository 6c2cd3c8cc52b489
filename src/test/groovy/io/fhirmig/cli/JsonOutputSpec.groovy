package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * {@code --json} on every command, real runs included: the library's result written as JSON on
 * standard output, and on a failure the error's kind, exit code, message, file and line. Exit codes
 * are those of the text output.
 */
class JsonOutputSpec extends Specification {

    @TempDir
    Path versions

    String ns = ServerProbe.unique('json-output')

    Cli.Result fhirmig(String... command) {
        Cli.on(ns, versions, command)
    }

    def "an upgrade and a downgrade give the steps run and the heads before and after"() {
        given:
        Scripts.chain(versions, ['j1', 'j2'])

        when:
        def up = fhirmig('upgrade', '--json')
        def down = fhirmig('downgrade', '--json')

        then:
        up.code == 0
        with(up.json()) {
            steps*.revision == ['j1', 'j2']
            steps*.file == ['0001_j1.groovy', '0002_j2.groovy']
            steps*.direction == ['upgrade', 'upgrade']
            steps.every { it.duration ==~ /PT[\d.]+S/ }
            headsBefore == []
            headsAfter == ['j2']
            duration ==~ /PT[\d.]+S/
        }
        down.code == 0
        with(down.json()) {
            steps*.revision == ['j2']
            steps*.direction == ['downgrade']
            headsBefore == ['j2']
            headsAfter == ['j1']
        }
        ServerProbe.markers(ns) == ['j1:upgrade', 'j2:downgrade', 'j2:upgrade']
    }

    def "a failing upgrade gives the error's kind, exit code, message, file and line, and exits 1"() {
        given:
        Scripts.chain(versions, ['f1'])
        String failing = Scripts.marking('f2', 'f1', "mark('upgrade')\n    throw new IllegalStateException('no such code')")
        Scripts.write(versions, '0002_f2.groovy', failing)

        when:
        def run = fhirmig('upgrade', '--json')

        then:
        run.code == 1
        with(run.json().error) {
            kind == 'migration_failed'
            exitCode == 1
            message.contains('no such code')
            file == '0002_f2.groovy'
            line == Scripts.lineOf(failing, 'no such code')
        }
        run.err.contains('error: 0002_f2.groovy:')

        and: 'the head stays at the step that succeeded'
        fhirmig('current', '--json').json().heads*.revision == ['f1']
    }

    def "stamp, repair, unlock, show, generate and init give their results as JSON"() {
        given:
        Scripts.chain(versions, ['s1', 's2'])

        when:
        def stamp = fhirmig('stamp', 's1', '--json')
        def repair = fhirmig('repair', '--json')
        def unlock = fhirmig('unlock', '--json')
        def show = fhirmig('show', 's2', '--json')
        def generate = fhirmig('generate', 'next_one', '--offline', '--json')
        def init = Cli.run('init', versions.resolve('project').toString(), '--json')

        then:
        [stamp, repair, unlock, show, generate, init]*.code == [0, 0, 0, 0, 0, 0]
        stamp.json().headsAfter == ['s1'] && stamp.json().steps == []
        repair.json() == [accepted: [], forgotten: [], written: []]
        unlock.json() == [cleared: null]
        show.json().revision == 's2' && show.json().downRevisions == ['s1'] && show.json().applied == false
        generate.json().file.endsWith('0003_next_one.groovy') && generate.json().downRevisions == ['s2']
        init.json().created.any { it.endsWith('fhirmig.properties') }
    }

    def "a usage error with --json is JSON too, exit 2"() {
        when:
        def run = fhirmig('show', 'nope', '--json')

        then:
        run.code == 2
        run.json().error.kind == 'usage'
        run.json().error.exitCode == 2
        run.json().error.message.contains('nope')
        run.json().error.file == null
    }

    def "an upgrade's steps give their bulk operations' counts"() {
        given: 'two patients of this test, one of them to be marked'
        String system = "urn:json-output:${ns}"
        def client = io.fhirmig.TestServer.newClient()
        ['a', 'b'].each { suffix ->
            def patient = new org.hl7.fhir.r4.model.Patient()
            patient.id = "${ns}-${suffix}"
            patient.addIdentifier().setSystem(system).setValue(suffix)
            client.update().resource(patient).execute()
        }
        Scripts.write(versions, '0001_bulk.groovy', Scripts.marking('bulk', null, """\
migration.forEach('Patient?identifier=${system}|') { Patient p ->
        if (p.identifierFirstRep.value != 'a') return null
        p.active = true
        p
    }"""))

        when:
        def run = fhirmig('upgrade', '--json')

        then:
        run.code == 0
        run.json().steps[0].bulk == [[operation: 'forEach', query: "Patient?identifier=${system}|".toString(),
                                      matched: 2, changed: 1, skipped: 1, conflicts: 0, failed: 0]]
        client.read().resource(org.hl7.fhir.r4.model.Patient).withId("${ns}-a").execute().active
    }
}
