package io.fhirmig.cli

import ca.uhn.fhir.rest.client.api.IGenericClient
import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import java.nio.file.Path
import org.hl7.fhir.r4.model.Bundle
import org.hl7.fhir.r4.model.Patient
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * {@code upgrade --dry-run} and {@code downgrade --dry-run} run the scripts against the server with
 * every write held back: what each step would write is printed (for an update, the values it
 * changes), bulk operations give their counts, {@code migration.dryRun} is true, and nothing on the
 * server changes: the resources keep their versions and no migration is recorded.
 */
class DryRunSpec extends Specification {

    @Shared
    IGenericClient client = TestServer.newClient()

    @TempDir
    Path versions

    String ns = ServerProbe.unique('dryrun')
    String system = "urn:dry-run:${ns}"

    Cli.Result fhirmig(String... command) {
        Cli.on(ns, versions, command)
    }

    String patient(String id, String family) {
        Patient patient = new Patient()
        patient.id = id
        patient.addName().setFamily(family)
        patient.addIdentifier().setSystem(system).setValue(id)
        client.update().resource(patient).execute()
        id
    }

    String version(String id) {
        client.read().resource(Patient).withId(id).execute().meta.versionId
    }

    int patientsNamed(String family) {
        client.search().forResource(Patient).where(Patient.FAMILY.matchesExactly().value(family))
                .returnBundle(Bundle).execute().entry.size()
    }

    def "a forEach migration's dry run prints the counts and each change, and writes nothing"() {
        given: 'three patients, one of them already marked'
        def ids = ["${ns}-a", "${ns}-b", "${ns}-c"].collect { patient(it as String, 'Doe') }
        Patient marked = client.read().resource(Patient).withId(ids[2]).execute()
        marked.addExtension('urn:dry-run:mark', new org.hl7.fhir.r4.model.StringType('yes'))
        client.update().resource(marked).execute()
        def versions0 = ids.collect { version(it) }
        Scripts.write(versions, '0001_mark.groovy', """\
revision     = 'mark'
downRevision = null
description  = 'mark every patient'

void upgrade() {
    if (!migration.dryRun) {
        throw new IllegalStateException('migration.dryRun should be true')
    }
    migration.forEach('Patient?identifier=${system}|') { Patient p ->
        if (p.getExtensionByUrl('urn:dry-run:mark') != null) {
            return null
        }
        p.addExtension('urn:dry-run:mark', new StringType('yes'))
        p
    }
}

void downgrade() {
}
""")

        when:
        def text = fhirmig('upgrade', '--dry-run')
        def json = fhirmig('upgrade', '--dry-run', '--json')

        then:
        text.code == 0
        text.out.contains('dry run: would run 1 step(s), making 2 write(s); nothing was written')
        text.out.contains("forEach Patient?identifier=${system}|: matched 3, would change 2, skipped 1")
        text.out.contains("    PUT Patient/${ids[0]}\n      extension[0].url: (none) -> \"urn:dry-run:mark\"\n"
                + "      extension[0].valueString: (none) -> \"yes\"")
        text.out.contains("    PUT Patient/${ids[1]}")
        !text.out.contains("Patient/${ids[2]}")

        and:
        String query = "Patient?identifier=${system}|"
        json.code == 0
        with(json.json()) {
            direction == 'upgrade'
            headsBefore == []
            headsAfter == ['mark']
            steps.size() == 1
            steps[0].writeCount == 2
            steps[0].writes*.method == ['PUT', 'PUT']
            steps[0].writes*.url.toSet() == ids[0..1].collect { "Patient/${it}".toString() }.toSet()
            steps[0].writes[0].changes*.path == ['extension[0].url', 'extension[0].valueString']
            steps[0].writes[0].changes*.before == [null, null]
            steps[0].bulk == [[operation: 'forEach', query: query, matched: 3,
                               changed: 2, skipped: 1, conflicts: 0, failed: 0]]
        }

        and: 'the patients keep their versions, nothing is applied'
        ids.collect { version(it) } == versions0
        fhirmig('current', '--json').json().heads == []
        ServerProbe.appliedJson(ns).empty
    }

    def "a migration that writes through fhir shows each write with its diff, later steps read the earlier ones' writes, and nothing is written"() {
        given:
        String renamed = patient("${ns}-renamed", 'Old')
        String doomed = patient("${ns}-doomed", 'Doomed')
        def versions0 = [version(renamed), version(doomed)]
        String newFamily = "New${ns.replaceAll(/\W/, '')}"
        Scripts.write(versions, '0001_rename.groovy', """\
revision     = 'rename'
downRevision = null

void upgrade() {
    Patient p = fhir.read().resource(Patient).withId('${renamed}').execute()
    p.nameFirstRep.family = '${newFamily}'
    def outcome = fhir.update().resource(p).execute()
    assert outcome.id.versionIdPart == String.valueOf(Long.parseLong('${versions0[0]}') + 1)
    Patient created = new Patient()
    created.addName().setFamily('${newFamily}')
    def made = fhir.create().resource(created).execute()
    assert made.created && made.id.idPart.startsWith('dry-run-')
    fhir.delete().resourceById('Patient', '${doomed}').execute()
}

void downgrade() {
}
""")
        Scripts.write(versions, '0002_rename_again.groovy', """\
revision     = 'rename-again'
downRevision = 'rename'

void upgrade() {
    Patient p = fhir.read().resource(Patient).withId('${renamed}').execute()
    assert p.nameFirstRep.family == '${newFamily}'
    p.nameFirstRep.family = '${newFamily}-2'
    fhir.update().resource(p).execute()
    try {
        fhir.read().resource(Patient).withId('${doomed}').execute()
        assert false: 'deleted in the step before'
    } catch (ca.uhn.fhir.rest.server.exceptions.ResourceGoneException expected) {
    }
}

void downgrade() {
}
""")

        when:
        def run = fhirmig('upgrade', '--dry-run')

        then:
        run.code == 0
        run.outLines() == [
                'dry run: would run 2 step(s), making 4 write(s); nothing was written',
                '  upgrade  rename  0001_rename.groovy',
                "    PUT Patient/${renamed}",
                "      name[0].family: \"Old\" -> \"${newFamily}\"",
                '    POST Patient',
                "      name[0].family: (none) -> \"${newFamily}\"",
                "    DELETE Patient/${doomed}",
                '  upgrade  rename-again  0002_rename_again.groovy',
                "    PUT Patient/${renamed}",
                "      name[0].family: \"${newFamily}\" -> \"${newFamily}-2\"",
                'head after: rename-again',
        ]*.toString()

        and: 'the server is as it was'
        [version(renamed), version(doomed)] == versions0
        client.read().resource(Patient).withId(renamed).execute().nameFirstRep.family == 'Old'
        patientsNamed(newFamily) == 0
        ServerProbe.appliedJson(ns).empty
    }

    def "a conditional create that finds its resource writes nothing, as on the server; one that finds none is shown"() {
        given:
        String existing = patient("${ns}-there", 'There')
        Scripts.write(versions, '0001_ensure.groovy', """\
revision     = 'ensure'
downRevision = null

void upgrade() {
    ['${existing}', '${ns}-new'].each { String value ->
        Patient p = new Patient()
        p.addIdentifier().setSystem('${system}').setValue(value)
        def outcome = fhir.create().resource(p).conditionalByUrl("Patient?identifier=${system}|\${value}").execute()
        assert (outcome.created == Boolean.TRUE) == (value != '${existing}')
    }
}

void downgrade() {
}
""")

        when:
        def run = fhirmig('upgrade', '--dry-run', '--json')

        then:
        def expected = ["\"${system}\"".toString(), "\"${ns}-new\"".toString()]
        run.code == 0
        with(run.json().steps[0]) {
            writeCount == 1
            writes*.method == ['POST']
            writes[0].changes*.after == expected
        }
        client.search().forResource(Patient).where(Patient.IDENTIFIER.exactly().systemAndCode(system, "${ns}-new"))
                .returnBundle(Bundle).execute().entry.empty
    }

    def "a transactional migration's collected writes are shown and not sent"() {
        given:
        String id = patient("${ns}-tx", 'Tx')
        String before = version(id)
        Scripts.write(versions, '0001_tx.groovy', """\
revision      = 'tx'
downRevision  = null
transactional = true

void upgrade() {
    Patient p = fhir.read().resource(Patient).withId('${id}').execute()
    p.gender = Enumerations.AdministrativeGender.FEMALE
    migration.update(p)
}

void downgrade() {
}
""")

        when:
        def run = fhirmig('upgrade', '--dry-run', '--json')

        then:
        run.code == 0
        with(run.json().steps[0]) {
            transactional
            writes == [[method: 'PUT', url: "Patient/${id}".toString(),
                        changes: [[path: 'gender', before: null, after: '"female"']], moreChanges: 0]]
        }
        version(id) == before
        ServerProbe.appliedJson(ns).empty
    }

    def "a request whose answer a dry run cannot know stops it with the file, the line and what to do"() {
        given:
        String script = """\
revision     = 'op'
downRevision = null

void upgrade() {
    fhir.operation().onServer().named('\$reindex').withNoParameters(Parameters).execute()
}

void downgrade() {
}
"""
        Scripts.write(versions, '0001_op.groovy', script)

        when:
        def run = fhirmig('upgrade', '--dry-run')

        then:
        run.code == 1
        run.err.contains("error: 0001_op.groovy:${Scripts.lineOf(script, 'reindex')}")
        run.err.contains('a dry run holds back every write, and cannot tell what the server would answer to POST $reindex')
        run.err.contains('skip that request when migration.dryRun is true')
        run.err.contains('this was a dry run, so nothing was written')
        !run.err.contains('\tat ')
        ServerProbe.appliedJson(ns).empty
    }
}
