package io.fhirmig.script

import ca.uhn.fhir.context.FhirContext
import io.fhirmig.Cli
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import java.nio.file.Files
import java.nio.file.Path
import javax.script.ScriptContext
import spock.lang.Specification
import spock.lang.TempDir

/** A script runs through JSR-223 and sees what the engine gives it: its {@code context} among them. */
class ScriptContextSpec extends Specification {

    @TempDir
    Path dir

    def "a migration that reads context.getAttribute('fhir') in upgrade() writes through it to the server"() {
        given:
        String namespace = ServerProbe.unique('jsr223')
        Scripts.write(dir, '0001_through_context.groovy', """\
revision     = 'c1'
downRevision = null

void upgrade() {
    def client = context.getAttribute('fhir')
    assert client.is(fhir)
    Basic marker = new Basic()
    marker.addIdentifier().setSystem('urn:fhirmig-test:marker:' + migration.namespace)
            .setValue(context.getAttribute('revision') + ':' + context.getAttribute('migration').direction)
    client.create().resource(marker).execute()
}

void downgrade() {
    def found = context.getAttribute('fhir').search().forResource(Basic)
            .where(Basic.IDENTIFIER.exactly().systemAndCode('urn:fhirmig-test:marker:' + migration.namespace,
                    revision + ':upgrade'))
            .returnBundle(Bundle).execute()
    found.entry.each { context.getAttribute('fhir').delete().resource(it.getResource()).execute() }
}
""")

        when:
        def upgrade = Cli.on(namespace, dir, 'upgrade')

        then:
        upgrade.code == 0
        ServerProbe.markers(namespace) == ['c1:upgrade']

        when:
        def downgrade = Cli.on(namespace, dir, 'downgrade', 'base')

        then:
        downgrade.code == 0
        ServerProbe.markers(namespace) == []
    }

    def "the context is the script's own: its engine scope holds the bindings and the header's variables"() {
        given:
        def context = new RecordingContext('r1')
        Files.writeString(dir.resolve('0001_a.groovy'), '''\
revision = 'a'
downRevision = null
description = 'a'

void upgrade() {
    migration.calls << (context instanceof javax.script.ScriptContext).toString()
    migration.calls << context.getAttribute('revision')
    migration.calls << context.getAttributesScope('log').toString()
    migration.calls << context.getBindings(javax.script.ScriptContext.ENGINE_SCOPE).keySet().sort().join(',')
    migration.calls << context.getAttribute('fhirContext').version.version.toString()
    context.setAttribute('seen', 'by a', javax.script.ScriptContext.ENGINE_SCOPE)
    migration.calls << seen
}

void downgrade() {}
''')
        Files.writeString(dir.resolve('0002_b.groovy'), '''\
revision = 'b'
downRevision = 'a'

void upgrade() {
    migration.calls << context.getAttribute('revision') << String.valueOf(context.getAttribute('seen'))
}

void downgrade() {}
''')
        def scripts = ScriptLoader.scanOrThrow(dir)
        def compiler = new ScriptCompiler()
        def load = { MigrationScript script ->
            compiler.compile(script, ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), context))
        }

        when:
        def a = load(scripts[0])
        def b = load(scripts[1])
        a.upgrade()
        b.upgrade()

        then:
        context.calls == ['true', 'a', String.valueOf(ScriptContext.ENGINE_SCOPE),
                          'description,downRevision,fhir,fhirContext,log,migration,revision', 'R4', 'by a',
                          'b', 'null']
    }
}
