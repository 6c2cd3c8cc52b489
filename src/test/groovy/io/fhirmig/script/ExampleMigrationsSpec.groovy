package io.fhirmig.script

import ca.uhn.fhir.context.FhirContext
import java.nio.file.Path
import spock.lang.Shared
import spock.lang.Specification

/**
 * The example migrations in versions/ (ported from the Python tool, with its revision ids). Running
 * them against a FHIR server belongs to the end-to-end specifications; here they must scan cleanly,
 * form the chain and compile with the default imports.
 */
class ExampleMigrationsSpec extends Specification {

    static final Path VERSIONS = Path.of('versions').toAbsolutePath()

    @Shared
    List<MigrationScript> scripts = ScriptLoader.scanOrThrow(VERSIONS)

    def "the four examples scan cleanly and form a chain"() {
        expect:
        scripts*.fileName() == [
                '0001_create_example_patient.groovy',
                '0002_add_phone_number.groovy',
                '0003_add_mrn.groovy',
                '0004_mark_legacy_patients.groovy',
        ]
        scripts*.revision() == [
                '985f4e1e-29f5-4911-bc9c-2c774b685289',
                'd5a1c49e-8efb-4610-b9d3-f59f98541f16',
                'c5a1c49e-8efb-4610-b9d3-f59f98541f16',
                '7b3e2f10-4c1d-4a8e-9f62-1d5c0e8a9b44',
        ]
        scripts*.downRevisions() == [
                [],
                ['985f4e1e-29f5-4911-bc9c-2c774b685289'],
                ['d5a1c49e-8efb-4610-b9d3-f59f98541f16'],
                ['c5a1c49e-8efb-4610-b9d3-f59f98541f16'],
        ]
        scripts.every { it.description() }
        scripts.every { !it.transactional() }
    }

    def "#script.fileName() has no import lines and compiles with the default imports"() {
        given:
        def context = new MigrationContext(script.revision(), MigrationContext.UPGRADE, false, 'default', [:])
        def bindings = ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), context)

        expect:
        !script.text().readLines().any { it.startsWith('import ') }
        new ScriptCompiler().compile(script, bindings).script() == script

        where:
        script << ScriptLoader.scanOrThrow(VERSIONS)
    }
}
