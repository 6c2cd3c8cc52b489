package io.fhirmig.run

import io.fhirmig.cli.CliRun
import io.fhirmig.cli.EnvCli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.fhir.ConnectionOptions
import io.fhirmig.fhir.FhirConnection
import io.fhirmig.script.ScriptCache
import io.fhirmig.state.LockInfo
import io.fhirmig.state.StateChange
import java.time.Instant
import java.nio.file.Files
import java.nio.file.Path
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.StringType
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The copy of a namespace's applied records in the cache: used while the state stays at the
 * version it was read at (so history and the checksum check do not page through thousands of
 * records), kept in step by the run's own commits, and dropped as soon as anyone else moves the state.
 */
class CachedRecordsSpec extends Specification {

    @TempDir
    Path project

    Path versions
    Path cacheDir
    String ns = ServerProbe.unique('records')

    def setup() {
        versions = Files.createDirectories(project.resolve('versions'))
        cacheDir = project.resolve('cache')
        Scripts.chain(versions, ['c1', 'c2', 'c3'])
    }

    /** Runs a command with FHIRMIG_CACHE pointing at this specification's cache folder. */
    CliRun fhirmig(String... command) {
        EnvCli.run([FHIRMIG_CACHE: cacheDir.toString()], ['--url', TestServer.baseUrl(), '--versions',
                versions.toString(), '--namespace', ns] + (command as List<String>))
    }

    CachedRecordsStore cachedStore() {
        new CachedRecordsStore(FhirConnection.open(ConnectionOptions.of(TestServer.baseUrl())), ns,
                TestServer.baseUrl(), ScriptCache.at(cacheDir))
    }

    /** Changes a record on the server the way no fhirmig command does: without moving the state. */
    void editRecordBehindTheStatesBack(String revision, String checksum) {
        def client = TestServer.newClient()
        Basic record = ServerProbe.basicsWithSystem("urn:fhirmig:applied:${ns}").find {
            it.identifierFirstRep.value == revision
        }
        record.getExtensionByUrl('urn:fhirmig:applied').getExtensionByUrl('checksum').setValue(new StringType(checksum))
        client.update().resource(record).execute()
    }

    Map<String, String> checksums(List records) {
        records.collectEntries { [(it.revision()): it.checksum()] }
    }

    def "the records are kept after a first read, and read from the copy while the state stays put"() {
        when: 'the first run creates the state: nothing to keep yet; the next run reads and keeps the records'
        def upgrade = fhirmig('upgrade')
        def history = fhirmig('history')

        then:
        upgrade.code == 0
        history.code == 0
        Files.list(cacheDir.resolve('state')).withCloseable { it.count() } == 1

        and: 'the copy holds what the server holds'
        def server = checksums(ServerProbe.store(ns).appliedRecords())
        server.keySet() == ['c1', 'c2', 'c3'] as Set
        checksums(cachedStore().appliedRecords()) == server

        when: 'a record changes on the server while the state does not'
        editRecordBehindTheStatesBack('c2', 'sha256:edited-behind-the-back')

        then: 'the copy is what is read: the server was not asked for the records again'
        checksums(cachedStore().appliedRecords())['c2'] == server['c2']
    }

    def "another process moving the state makes the copy stale: the records are read again"() {
        given:
        fhirmig('upgrade')
        fhirmig('history')
        editRecordBehindTheStatesBack('c2', 'sha256:changed-by-another-tool')

        when: 'another process takes the lock and gives it back: two new versions of the state'
        def other = ServerProbe.store(ns)
        def locked = other.acquireLock(new LockInfo('other@host pid 1', 'repair', Instant.now().plusSeconds(60)))
        other.commit(locked, StateChange.of(locked.heads(), null))

        then:
        checksums(cachedStore().appliedRecords())['c2'] == 'sha256:changed-by-another-tool'
    }

    def "the run's own steps keep the copy in step: history shows exactly the server's records"() {
        given:
        fhirmig('upgrade')
        fhirmig('history')

        when:
        fhirmig('downgrade', '-1')
        def afterDowngrade = new groovy.json.JsonSlurper().parseText(fhirmig('history', '--json').out)
        fhirmig('upgrade')
        def afterUpgrade = new groovy.json.JsonSlurper().parseText(fhirmig('history', '--json').out)

        then:
        afterDowngrade.applied*.revision == ['c1', 'c2']
        afterUpgrade.applied*.revision == ['c1', 'c2', 'c3']
        checksums(cachedStore().appliedRecords()) == checksums(ServerProbe.store(ns).appliedRecords())
    }

    def "a damaged copy is not trusted"() {
        given:
        fhirmig('upgrade')
        fhirmig('history')
        editRecordBehindTheStatesBack('c1', 'sha256:only-on-the-server')
        Path copy = Files.list(cacheDir.resolve('state')).withCloseable { it.findFirst().get() }
        byte[] bytes = Files.readAllBytes(copy)
        bytes[bytes.length.intdiv(2)] ^= 0x20
        Files.write(copy, bytes)

        expect:
        checksums(cachedStore().appliedRecords())['c1'] == 'sha256:only-on-the-server'
    }
}
