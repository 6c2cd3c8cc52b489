package io.fhirmig.run

import io.fhirmig.script.MigrationScript
import java.nio.file.Path
import spock.lang.Specification

/** Whether a run builds HAPI's FHIR model ahead depends on what its first scripts name. */
class FhirModelHeadStartSpec extends Specification {

    static MigrationScript script(String body) {
        String text = "revision = 'a'\ndownRevision = null\n" + body
        new MigrationScript(Path.of('0001_x.groovy'), '0001_x.groovy', 'a', [], null, false, 'checksum', text)
    }

    def "a script that names #what may reach HAPI"() {
        expect:
        FhirModelHeadStart.mayReachHapi(script(body))

        where:
        what                  | body
        'fhir'                | "void upgrade() { fhir.read().resource('Patient').withId('1').execute() }\nvoid downgrade() {}\n"
        'fhirContext'         | "void upgrade() { fhirContext.newJsonParser() }\nvoid downgrade() {}\n"
        'migration'           | "void upgrade() { migration.forEach('Patient?', [:]) { it } }\nvoid downgrade() {}\n"
        'context'             | "void upgrade() { context.getAttribute('f' + 'hir') }\nvoid downgrade() {}\n"
        'binding'             | "void upgrade() { binding.variables }\nvoid downgrade() {}\n"
        'a HAPI class import' | "import org.hl7.fhir.r4.model.Patient\nvoid upgrade() {}\nvoid downgrade() {}\n"
    }

    def "a no-op script does not"() {
        expect:
        !FhirModelHeadStart.mayReachHapi(script("void upgrade() {}\nvoid downgrade() {}\n"))
    }
}
