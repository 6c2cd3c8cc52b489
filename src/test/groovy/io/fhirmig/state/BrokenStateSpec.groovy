package io.fhirmig.state

import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.cli.EnvCli
import java.nio.file.Files
import java.nio.file.Path
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.CodeableConcept
import org.hl7.fhir.r4.model.Coding
import org.hl7.fhir.r4.model.Extension
import org.hl7.fhir.r4.model.IntegerType
import org.hl7.fhir.r4.model.StringType
import org.hl7.fhir.r4.model.DateTimeType
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A state that contradicts itself (edited by hand, or by a tool that is not fhirmig) is refused by
 * every run with exit 4, naming the problem and the repair, and nothing runs: trusting either the
 * heads or the records alone could apply a migration a second time. current and history still show
 * what they can, with a warning; check fails.
 */
class BrokenStateSpec extends Specification {

    @TempDir
    Path project

    Path versions
    String ns = ServerProbe.unique('broken')

    static final List<String> APPLIED = ['b1:upgrade', 'b2:upgrade', 'b3:upgrade']

    def setup() {
        versions = Files.createDirectories(project.resolve('versions'))
        Scripts.chain(versions, ['b1', 'b2', 'b3'])
        assert Cli.on(ns, versions, 'upgrade').code == 0
        // A migration that is pending: a run that was not refused would apply it and leave its marker.
        Scripts.write(versions, '0004_b4.groovy', Scripts.marking('b4', 'b3'))
    }

    Basic stateResource() {
        ServerProbe.basicsWithSystem('urn:fhirmig:state').find { it.identifierFirstRep.value == ns }
    }

    void update(Basic basic) {
        TestServer.newClient().update().resource(basic).execute()
    }

    void removeHead() {
        Basic state = stateResource()
        state.extension.removeIf { it.url == 'urn:fhirmig:head' }
        update(state)
    }

    void removeIdentifier() {
        Basic state = stateResource()
        state.identifier.clear()
        update(state)
    }

    void deleteRecordOfB2() {
        Basic record = ServerProbe.basicsWithSystem("urn:fhirmig:applied:${ns}").find { it.identifierFirstRep.value == 'b2' }
        TestServer.newClient().delete().resourceById(record.idElement.toUnqualifiedVersionless()).execute()
    }

    Basic newState(String head) {
        Basic state = new Basic()
        state.addIdentifier().setSystem('urn:fhirmig:state').setValue(ns)
        state.code = new CodeableConcept(new Coding('urn:fhirmig', 'migration-state', null))
        state.addExtension('urn:fhirmig:format', new IntegerType(1))
        if (head != null) {
            state.addExtension('urn:fhirmig:head', new StringType(head))
        }
        state
    }

    /** An empty state that every client reads first: its id is shorter than any the server assigned. */
    void addEmptyOlderDuplicate() {
        Basic duplicate = newState(null)
        duplicate.id = 'z'
        assert stateResource().idElement.idPart.length() > 1
        update(duplicate)
    }

    void addNewerDuplicateAtB1() {
        TestServer.newClient().create().resource(newState('b1')).execute()
    }

    void lock(Map<String, Object> fields) {
        Basic state = stateResource()
        Extension lock = state.addExtension().setUrl('urn:fhirmig:lock')
        fields.each { name, value -> lock.addExtension(name, value) }
        update(state)
    }

    void lockWithExpiresAtNotADate() {
        lock([owner: new StringType('dave@host pid 1 x'), step: new StringType('upgrade b4'),
              expiresAt: new StringType('tomorrow at noon')])
    }

    void lockWithNoOwner() {
        lock([step: new StringType('upgrade b4'), expiresAt: new DateTimeType(new Date(System.currentTimeMillis() + 600_000))])
    }

    def "#problem: upgrade exits 4 naming it and the repair, and nothing runs"() {
        given:
        "${mutation}"()

        when:
        def result = Cli.on(ns, versions, 'upgrade')

        then:
        result.code == 4
        result.err.readLines().size() == 1
        result.err.startsWith('error: ')
        said.every { result.err.contains(it) }
        !result.err.contains('Exception')

        and: 'nothing ran: the applied ones not again, the pending one not at all'
        ServerProbe.markers(ns) == APPLIED

        and: 'downgrade and check refuse too'
        Cli.on(ns, versions, 'downgrade', 'base').code == 4
        Cli.on(ns, versions, 'check').with { code == 4 && out.contains('PROBLEM  state: ') }
        ServerProbe.markers(ns) == APPLIED

        where:
        problem                                 | mutation                    | said
        'the head removed, the records kept'    | 'removeHead'                | ['no head is stored', 'applied records for b1, b2, b3', '`fhirmig stamp b3`', '`fhirmig repair`']
        'the state resource no longer found'    | 'removeIdentifier'          | ['no state resource was found', 'applied records for b1, b2, b3', '`fhirmig stamp b3`']
        'a record deleted'                      | 'deleteRecordOfB2'          | ['include b2, which has no applied record', '`fhirmig repair`']
        'an empty duplicate with a shorter id'  | 'addEmptyOlderDuplicate'    | ['2 migration state resources', 'Basic/z (base, nothing applied)', 'heads b3', 'DELETE ']
        'a duplicate with a newer id'           | 'addNewerDuplicateAtB1'     | ['2 migration state resources', 'heads b1', 'heads b3', 'DELETE ']
        'a lock whose expiresAt is not a date'  | 'lockWithExpiresAtNotADate' | ["its expiresAt 'tomorrow at noon' is not a date", '`fhirmig unlock`']
        'a lock with no owner'                  | 'lockWithNoOwner'           | ['it names no owner', '`fhirmig unlock`']
    }

    def "current and history show a contradiction as a warning line, and what they can"() {
        given:
        removeHead()

        when:
        def current = Cli.on(ns, versions, 'current')
        def history = Cli.on(ns, versions, 'history')

        then:
        current.code == 0
        current.outLines()[0] == 'base (nothing applied)'
        current.err.readLines().findAll { it.startsWith('warning: ') }.size() == 1
        current.err.contains('no head is stored')
        history.code == 0
        history.out.contains('pending  b1')
        history.err.contains('warning: the migration state on the server contradicts itself')
    }

    def "an unreadable lock: current shows it, unlock clears it, and upgrade then runs"() {
        given:
        lockWithNoOwner()

        when:
        def current = Cli.on(ns, versions, 'current')

        then:
        current.code == 0
        current.err.contains('warning: the lock on the migration state')
        current.out.contains('the lock cannot be read (owner missing')

        when:
        def unlock = Cli.on(ns, versions, 'unlock')
        def upgrade = Cli.on(ns, versions, 'upgrade')

        then:
        unlock.code == 0
        upgrade.code == 0
        ServerProbe.markers(ns) == APPLIED + ['b4:upgrade']
    }

    def "stamp to the recorded head repairs a removed head; only the pending migration then runs"() {
        given:
        removeHead()

        when:
        def stamp = Cli.on(ns, versions, 'stamp', 'b3')
        def check = Cli.on(ns, versions, 'check')
        def upgrade = Cli.on(ns, versions, 'upgrade')

        then:
        stamp.code == 0
        check.code == 0
        upgrade.code == 0
        ServerProbe.markers(ns) == APPLIED + ['b4:upgrade']
    }

    def "repair writes a deleted record again; upgrade then runs only the pending migration"() {
        given:
        deleteRecordOfB2()

        when:
        def repair = Cli.on(ns, versions, 'repair')
        def upgrade = Cli.on(ns, versions, 'upgrade')

        then:
        repair.code == 0
        repair.outLines() == ['wrote the missing record of 0002_b2.groovy (b2)']
        upgrade.code == 0
        ServerProbe.markers(ns) == APPLIED + ['b4:upgrade']
        ServerProbe.store(ns).appliedRecords()*.revision().sort() == ['b1', 'b2', 'b3', 'b4']
    }

    def "repair forgets records the head does not include, when the head is the truth"() {
        given: 'the head moved back by hand to b1, the records of b2 and b3 kept'
        Basic state = stateResource()
        state.extension.find { it.url == 'urn:fhirmig:head' }.value = new StringType('b1')
        update(state)

        when:
        def repair = Cli.on(ns, versions, 'repair')

        then:
        repair.code == 0
        repair.outLines() == ['forgot the record of b2: the head does not include it',
                              'forgot the record of b3: the head does not include it']
        Cli.on(ns, versions, 'check').code == 0
    }

    def "a copy of the records kept in the cache does not hide a deleted record"() {
        given: 'the copy is made while the state is sound'
        Path cache = project.resolve('cache')
        def env = [FHIRMIG_CACHE: cache.toString()]
        List<String> where = ['--url', TestServer.baseUrl(), '--versions', versions.toString(), '--namespace', ns]
        assert EnvCli.run(env, ['history'] + where).code == 0
        assert Files.list(cache.resolve('state')).withCloseable { it.count() } == 1

        when: 'a record is deleted, which moves no version of the state'
        deleteRecordOfB2()
        def upgrade = EnvCli.run(env, ['upgrade'] + where)

        then:
        upgrade.code == 4
        upgrade.err.contains('include b2, which has no applied record')
        ServerProbe.markers(ns) == APPLIED
    }

    def "a state made by stamp on a fresh namespace agrees with itself: check passes, upgrade runs the rest"() {
        given:
        String fresh = ServerProbe.unique('stamped')

        when:
        def stamp = Cli.on(fresh, versions, 'stamp', 'b2')
        def check = Cli.on(fresh, versions, 'check')
        def upgrade = Cli.on(fresh, versions, 'upgrade')

        then:
        stamp.code == 0
        check.code == 0
        check.out.contains('ok       state: one state resource; its head(s) and the 2 applied record(s) agree')
        upgrade.code == 0
        ServerProbe.markers(fresh) == ['b3:upgrade', 'b4:upgrade']
    }
}
