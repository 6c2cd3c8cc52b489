package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.script.Checksums
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * An applied script edited afterwards stops every run (exit 3) until `repair` accepts its new text,
 * as Flyway does; a change of line endings only is not an edit.
 */
class EditedScriptSpec extends Specification {

    @TempDir
    Path versions

    String ns = ServerProbe.unique('edited')

    def setup() {
        Scripts.chain(versions, ['e1', 'e2'])
        assert Cli.on(ns, versions, 'upgrade').code == 0
        // A new migration, so that the next upgrade has something to do.
        Scripts.write(versions, '0003_e3.groovy', Scripts.marking('e3', 'e2'))
    }

    def "upgrade refuses with exit 3, naming the edited script, and runs nothing"() {
        given:
        Path edited = versions.resolve('0002_e2.groovy')
        String oldChecksum = Checksums.of(Files.readString(edited))
        Files.writeString(edited, Files.readString(edited).replace("mark('downgrade')", "mark('downgrade'); log.info('edited')"))

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 3
        result.err.readLines() == ["error: 0002_e2.groovy (revision e2) was edited after it was applied (server ${oldChecksum},".toString()
                + " file ${Checksums.of(Files.readString(edited))}). Restore the applied text, or run `fhirmig repair`"
                + ' to accept the edited scripts as applied']
        ServerProbe.markers(ns) == ['e1:upgrade', 'e2:upgrade']
        ServerProbe.store(ns).read().heads() == ['e2']
        ServerProbe.store(ns).read().lock() == null

        and: 'downgrade and check refuse too'
        Cli.on(ns, versions, 'downgrade').code == 3
        def check = Cli.on(ns, versions, 'check')
        check.code == 3
        check.outLines().any { it.startsWith('PROBLEM  checksums: 0002_e2.groovy (revision e2) was edited') }
        ServerProbe.markers(ns) == ['e1:upgrade', 'e2:upgrade']
    }

    def "repair accepts the edited script, and upgrade then runs"() {
        given:
        Path edited = versions.resolve('0002_e2.groovy')
        Files.writeString(edited, Files.readString(edited) + '\n// a comment added after it was applied\n')
        String newChecksum = Checksums.of(Files.readString(edited))

        when:
        def repair = Cli.on(ns, versions, 'repair')

        then:
        repair.code == 0
        repair.outLines() == ["accepted 0002_e2.groovy (e2) as ${newChecksum}".toString()]
        ServerProbe.store(ns).appliedRecords().find { it.revision() == 'e2' }.checksum() == newChecksum

        when:
        def upgrade = Cli.on(ns, versions, 'upgrade')

        then:
        upgrade.code == 0
        upgrade.out.contains('upgraded 1 migration(s)')
        ServerProbe.markers(ns) == ['e1:upgrade', 'e2:upgrade', 'e3:upgrade']

        and: 'the edited script was not run again, and a second repair has nothing to do'
        Cli.on(ns, versions, 'repair').outLines() == ['nothing to repair']
    }

    def "line endings changed from LF to CRLF are not an edit"() {
        given:
        Path script = versions.resolve('0001_e1.groovy')
        String lf = Files.readString(script)
        Files.writeString(script, lf.replace('\n', '\r\n'))
        assert Files.readString(script).contains('\r\n')

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 0
        ServerProbe.markers(ns) == ['e1:upgrade', 'e2:upgrade', 'e3:upgrade']
        Cli.on(ns, versions, 'check').code == 0
        Cli.on(ns, versions, 'repair').outLines() == ['nothing to repair']
    }
}
