package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.script.Checksums
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.TempDir

/**
 * `fhirmig status`, as Flyway's `info`: one table of every migration with its state (applied, pending,
 * edited since applied, missing its file), a header row, short checksums and one timestamp format; a
 * view, so exit 0 whatever it shows, where a run refuses the same state.
 */
@Stepwise
class StatusCommandSpec extends Specification {

    static final String TIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/

    @Shared
    @TempDir
    Path versions

    @Shared
    String ns = ServerProbe.unique('status')

    @Shared
    String s2Applied

    Cli.Result fhirmig(String... command) {
        Cli.on(ns, versions, command)
    }

    def setupSpec() {
        // s1..s4 applied; then s2 edited, s4 (the applied head) deleted, and s5 added after s3.
        Scripts.chain(versions, ['s1', 's2', 's3', 's4'])
        assert fhirmig('upgrade').code == 0
        Path s2 = versions.resolve('0002_s2.groovy')
        s2Applied = Checksums.of(Files.readString(s2))
        Files.writeString(s2, Files.readString(s2) + '\n// edited after it was applied\n')
        Files.delete(versions.resolve('0004_s4.groovy'))
        Scripts.write(versions, '0005_s5.groovy', Scripts.marking('s5', 's3'))
    }

    def "every migration in one table: a header, a state per row, short checksums, UTC seconds; exit 0"() {
        when:
        def status = fhirmig('status')
        def lines = status.outLines()

        then: 'a view: it exits 0, and warns (on standard error) of the head no script declares'
        status.code == 0
        status.err.contains("warning: the server's head 's4' is declared by no script")

        and: 'a header row, then base to head: applied in applied order, then pending'
        lines[0].split(/ {2,}/) as List == ['STATE', 'REVISION', 'FILE', 'APPLIED AT', 'BY', 'DURATION', 'CHECKSUM',
                                            'DESCRIPTION']
        lines[1..5].collect { it.split(' ')[0] } == ['applied', 'edited', 'applied', 'missing', 'pending']
        lines[1..5].collect { it.split(/ +/)[1] } == ['s1', 's2', 's3', 's4', 's5']
        lines[1..5].collect { it.split(/ +/)[2] } == ['0001_s1.groovy', '0002_s2.groovy', '0003_s3.groovy',
                                                     '0004_s4.groovy', '0005_s5.groovy']

        and: 'the columns are aligned under the header'
        int at = lines[0].indexOf('APPLIED AT')
        int checksum = lines[0].indexOf('CHECKSUM')
        lines[1..4].every { it.substring(at, at + 20) ==~ TIME }
        lines[5].substring(at, checksum).isBlank()

        and: 'the checksum recorded, in 12 hex digits; an edited row also names the file\'s'
        lines[2].substring(checksum).startsWith(s2Applied.substring('sha256:'.length(), 'sha256:'.length() + 12) + '  ')
        lines[2].contains('(file now ' + Checksums.of(Files.readString(versions.resolve('0002_s2.groovy')))
                .substring(7, 19) + ') test migration s2')
        lines[1..5].every { (it.substring(checksum) =~ /^[0-9a-f]{12}( |$)/).find() }
        !status.out.contains('sha256:')

        and: 'who applied it and how long it took'
        int by = lines[0].indexOf('BY')
        int duration = lines[0].indexOf('DURATION')
        lines[1..4].every { it.substring(by, duration).contains('@') }
        lines[1..4].every { it.substring(duration, checksum).trim() ==~ /\d+ ms|\d+\.\d{3} s/ }

        and: 'the last line counts them and says what to do'
        lines.size() == 7
        lines[6] == '2 applied, 1 pending; 1 edited since applied (restore the applied text, or run `fhirmig repair`' +
                ' to accept the edit); 1 missing (restore the file, or run `fhirmig stamp REVISION` to record where' +
                ' the data is)'
    }

    def "--json gives the same view: each migration's state, revision, file, times and both checksums"() {
        when:
        def status = fhirmig('status', '--json')
        def json = status.json()
        String recordedS2 = s2Applied
        String fileS2 = Checksums.of(Files.readString(versions.resolve('0002_s2.groovy')))

        then:
        status.code == 0
        json.keySet() as List == ['namespace', 'migrations', 'heads', 'pythonTool', 'warnings']
        json.namespace == ns
        json.heads == ['s4']
        json.pythonTool == null
        json.warnings.size() == 1
        json.migrations*.state == ['applied', 'edited', 'applied', 'missing', 'pending']
        json.migrations*.revision == ['s1', 's2', 's3', 's4', 's5']
        with(json.migrations[1]) {
            keySet() as List == ['state', 'revision', 'file', 'description', 'appliedAt', 'appliedBy', 'duration',
                                 'checksum', 'fileChecksum', 'adoptedFrom']
            checksum == recordedS2
            fileChecksum == fileS2
            appliedAt ==~ /\d{4}-.*Z/
            duration ==~ /PT[\d.]+S/
        }
        with(json.migrations[3]) {
            file == '0004_s4.groovy'
            description == null
            fileChecksum == null
            checksum.startsWith('sha256:')
        }
        with(json.migrations[4]) {
            appliedAt == null
            checksum == fileChecksum
        }
    }

    def "history lists the missing head with its record, current shows it as missing, both warn; the runs refuse the state"() {
        when:
        def history = fhirmig('history')

        then:
        history.code == 0
        history.err.contains("warning: the server's head 's4' is declared by no script")
        history.outLines().collect { it.split('  ')[0..2] } == [['applied', 's1', '0001_s1.groovy'],
                ['applied', 's2', '0002_s2.groovy'], ['applied', 's3', '0003_s3.groovy'],
                ['applied', 's4', '0004_s4.groovy'], ['pending', 's5', '0005_s5.groovy']]

        and:
        def current = fhirmig('current')
        current.code == 0
        current.outLines() == ['s4  (missing: no script declares it)', '1 pending; run `fhirmig upgrade`']
        current.err.contains("warning: the server's head 's4' is declared by no script")
        fhirmig('upgrade').code == 3
        ServerProbe.markers(ns).sort() == ['s1:upgrade', 's2:upgrade', 's3:upgrade', 's4:upgrade']
    }

    def "the remedies the last line names clear the state: stamp forgets the missing head, repair accepts the edit"() {
        when:
        def stamp = fhirmig('stamp', 's3')
        def repair = fhirmig('repair')
        def status = fhirmig('status')

        then:
        stamp.code == 0
        repair.code == 0
        status.code == 0
        status.err == ''
        status.outLines()[1..4]*.split(/ +/)*.getAt(0) == ['applied', 'applied', 'applied', 'pending']
        status.outLines()[5] == '3 applied, 1 pending'
    }
}
