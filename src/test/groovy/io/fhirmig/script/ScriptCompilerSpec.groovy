package io.fhirmig.script

import ca.uhn.fhir.context.FhirContext
import ca.uhn.fhir.context.FhirVersionEnum
import io.fhirmig.api.FhirmigException
import java.nio.file.Files
import java.nio.file.Path
import org.codehaus.groovy.runtime.InvokerHelper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

class ScriptCompilerSpec extends Specification {

    @Shared
    ScriptCompiler compiler = new ScriptCompiler()

    @TempDir
    Path dir

    /** Writes a script file and loads it the way a run does: scanned first, compiled when its step comes. */
    Migration compile(String fileName, String text, MigrationContext context = new RecordingContext('r1')) {
        Files.writeString(dir.resolve(fileName), text)
        MigrationScript script = ScriptLoader.scanOrThrow(dir).find { it.fileName() == fileName }
        compiler.compile(script, ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), context))
    }

    def "the client, the FHIR context and the logger are made when the script first reads them, once"() {
        given:
        Files.writeString(dir.resolve('0001_lazy.groovy'), """\
revision = 'r1'
downRevision = null

void upgrade() {}
void downgrade() {
    assert fhir == 'client' && fhir == 'client'
    assert context.getAttribute('fhirContext').version.version.name() == 'R4'
}
""")
        MigrationScript script = ScriptLoader.scanOrThrow(dir)[0]
        int clients = 0
        int contexts = 0
        def bindings = ScriptBindings.lazily(script, { clients++; 'client' } as java.util.function.Supplier,
                { contexts++; FhirContext.forR4Cached() } as java.util.function.Supplier, new RecordingContext('r1'))

        when: 'a function that reads no binding'
        def migration = compiler.compile(script, bindings)
        migration.upgrade()

        then:
        clients == 0
        contexts == 0

        when: 'one that reads them, the client twice'
        migration.downgrade()

        then:
        clients == 1
        contexts == 1
    }

    def "a class nested in a class the script declares is found, beside undeclared header variables"() {
        given:
        def context = new RecordingContext('r1')
        def migration = compile('0001_nested.groovy', '''\
revision = 'r1'
downRevision = null

class Outer {
    static class Inner {
        String value = 'inner'
    }
}

void upgrade() {
    migration.calls << new Outer.Inner().value
}
void downgrade() {}
''', context)

        when:
        migration.upgrade()

        then:
        context.calls == ['inner']
    }

    def "upgrade() and downgrade() run the script's functions, which see the bindings"() {
        given:
        def context = new RecordingContext('r1')
        def migration = compile('0001_first.groovy', '''\
revision = 'r1'
downRevision = null

void upgrade() {
    migration.calls << "upgrade ${migration.revision} ${migration.direction} ${migration.namespace} ${migration.dryRun}".toString()
    migration.calls << "batchSize ${migration.parameters.batchSize}".toString()
    migration.calls << "fhir ${fhir} fhirContext ${fhirContext.version.version} log ${log.name}".toString()
}

void downgrade() {
    migration.calls << 'downgrade'
}
''', context)

        when:
        migration.upgrade()
        migration.downgrade()

        then:
        context.calls == [
                'upgrade r1 upgrade test false',
                'batchSize 10',
                "fhir null fhirContext ${FhirVersionEnum.R4} log fhirmig.migration.0001_first".toString(),
                'downgrade',
        ]
        migration.script().fileName() == '0001_first.groovy'
    }

    def "two scripts' functions stay distinct, however they are interleaved"() {
        given:
        def context = new RecordingContext('shared')
        def script = { String name -> """\
revision = '${name}'
downRevision = null

void upgrade() { migration.calls << 'upgrade ' + helper() }
void downgrade() { migration.calls << 'downgrade ' + helper() }
String helper() { '${name}' }
""" }
        def a = compile('0001_a.groovy', script('a'), context)
        def b = compile('0002_b.groovy', script('b'), context)

        when:
        a.upgrade()
        b.upgrade()
        a.upgrade()
        b.downgrade()
        a.downgrade()

        then:
        context.calls == ['upgrade a', 'upgrade b', 'upgrade a', 'downgrade b', 'downgrade a']
    }

    def "a throwing upgrade() fails naming the file, the line and the original error"() {
        given:
        def migration = compile('0002_fails.groovy', '''\
revision = 'r1'
downRevision = null

void upgrade() {
    throw new IllegalStateException('the server said no')
}

void downgrade() {}
''')

        when:
        migration.upgrade()

        then:
        def e = thrown(MigrationFailedException)
        e.kind() == FhirmigException.Kind.MIGRATION_FAILED
        e.message == '0002_fails.groovy:5: upgrade() failed: IllegalStateException: the server said no'
        e.fileName() == '0002_fails.groovy'
        e.line() == 5
        e.function() == 'upgrade()'
        e.cause instanceof IllegalStateException
        e.cause.message == 'the server said no'
        e.cause.stackTrace.any { it.fileName == '0002_fails.groovy' && it.lineNumber == 5 }
    }

    def "the line is where the error was raised, even in a helper function or a closure"() {
        given:
        def migration = compile('0003_deep.groovy', '''\
revision = 'r1'
downRevision = null

void upgrade() {}

void downgrade() {
    [1, 2].each { n ->
        check(n)
    }
}

void check(int n) {
    if (n == 2) throw new IllegalArgumentException("bad ${n}")
}
''')

        when:
        migration.downgrade()

        then:
        def e = thrown(MigrationFailedException)
        e.message == '0003_deep.groovy:13: downgrade() failed: IllegalArgumentException: bad 2'
    }

    def "a script error that #kind is reported with its line"() {
        given:
        def migration = compile('0004_bug.groovy', """\
revision = 'r1'
downRevision = null

void upgrade() {
    ${statement}
}

void downgrade() {}
""")

        when:
        migration.upgrade()

        then:
        def e = thrown(MigrationFailedException)
        e.line() == 5
        e.message.startsWith('0004_bug.groovy:5: upgrade() failed: ' + type + ': ')
        e.message.contains(detail)
        e.cause.getClass().simpleName == type

        where:
        kind                                | statement                                         || type                     | detail
        // Groovy's invokeFunction would lose this one's stack trace; see ScriptFunctions.
        'calls a method that does not exist'| 'new Patient().addTelecomm()'                     || 'MissingMethodException'  | 'addTelecomm'
        'uses a null'                       | 'def p = null; p.getName()'                       || 'NullPointerException'    | 'getName'
        'fails an assert'                   | 'assert 1 + 1 == 3'                               || 'PowerAssertionError'     | '1 + 1 == 3'
        'throws a checked exception'        | "throw new IOException('disk full')"              || 'IOException'             | 'disk full'
        'reads an unknown variable'         | 'println patientCount'                            || 'MissingPropertyException'| 'patientCount'
        'calls a function it does not have' | 'chekc(1)'                                        || 'MissingMethodException'  | 'chekc'
    }

    def "a script that does not compile is an invalid script naming the file and line"() {
        given:
        Files.writeString(dir.resolve('0005_typo.groovy'), '''\
revision = 'r1'
downRevision = null

void upgrade() {
    def p = new Patientt()
}

void downgrade() {}
''')
        def script = ScriptLoader.scanOrThrow(dir)[0]

        when:
        compiler.compile(script, ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), new RecordingContext('r1')))

        then:
        def e = thrown(InvalidScriptsException)
        e.kind() == FhirmigException.Kind.INVALID_MIGRATIONS
        e.problems()*.toString() == ['0005_typo.groovy:5: does not compile: unable to resolve class Patientt']
    }

    def "top-level code that throws while loading is a failed migration"() {
        when:
        compile('0006_top.groovy', '''\
revision = 'r1'
downRevision = null
throw new IllegalStateException('not now')

void upgrade() {}
void downgrade() {}
''')

        then:
        def e = thrown(MigrationFailedException)
        e.message == "0006_top.groovy:3: the script's top-level code failed: IllegalStateException: not now"
    }

    def "scripts see the FHIR model without imports, and Groovy's own names still work"() {
        given:
        def context = new RecordingContext('r1')
        def migration = compile('0007_names.groovy', '''\
revision = 'r1'
downRevision = null

void upgrade() {
    List<String> list = ['a']
    Map<String, Integer> map = [a: 1]
    def range = 1..3
    migration.calls << List.name << Map.name << range.getClass().name << Tuple.name << Type.name
    migration.calls << Reference.name << Range.name << Enumeration.name << Factory.name
    migration.calls << new Reference('Patient/example').reference
    groovy.lang.Range<Integer> groovyRange = 1..2
    java.util.Enumeration<String> javaEnumeration = Collections.enumeration(['x'])
    migration.calls << groovyRange.size().toString() << javaEnumeration.nextElement() << Tuple.tuple(1, 2).v2.toString()
    Patient patient = new Patient()
    patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue('555')
    patient.addIdentifier(new Identifier().setSystem('urn:x').setValue('1'))
    migration.calls << patient.telecom[0].system.toCode() << new Bundle().type.toString() << new CodeableConcept().text.toString()
}

void downgrade() {}
''', context)

        when:
        migration.upgrade()

        then:
        context.calls == [
                'java.util.List', 'java.util.Map', 'groovy.lang.IntRange', 'groovy.lang.Tuple', 'org.hl7.fhir.r4.model.Type',
                'org.hl7.fhir.r4.model.Reference', 'org.hl7.fhir.r4.model.Range',
                'org.hl7.fhir.r4.model.Enumeration', 'org.hl7.fhir.r4.model.Factory',
                'Patient/example',
                '2', 'x', '2',
                'phone', 'null', 'null',
        ]
    }

    def "a pitfall for script authors: Groovy reads entry.resource as FHIR's isResource()"() {
        given:
        def context = new RecordingContext('r1')
        def migration = compile('0008_pitfall.groovy', '''\
revision = 'r1'
downRevision = null

void upgrade() {
    def entry = new Bundle().addEntry().setResource(new Patient())
    migration.calls << entry.resource.toString() << entry.getResource().getClass().simpleName
}

void downgrade() {}
''', context)

        when:
        migration.upgrade()

        then: 'so scripts (and the examples) call getResource()'
        context.calls == ['false', 'Patient']
    }

    def "a script that only reads its bindings runs without Groovy building its meta-class"() {
        given:
        def context = new RecordingContext('r1')
        def migration = compile('0009_lean.groovy', '''\
revision = 'r1'
downRevision = null
description = 'reads bindings only'

void upgrade() {
    migration.calls << this
    log.debug('upgrading {}', migration.revision)
    fhirContext.newJsonParser()
}

void downgrade() {}
''', context)

        when:
        migration.upgrade()
        def scriptMeta = classMetaClass(context.calls[0])

        then: 'building it was about a third of a step\'s CPU time'
        scriptMeta instanceof DeferredMetaClass
        !((DeferredMetaClass) scriptMeta).isBuilt()
    }

    def "a script that calls its own functions has its meta-class built then, and Groovy dispatches as usual"() {
        given:
        def context = new RecordingContext('r1')
        def migration = compile('0010_helpers.groovy', '''\
revision = 'r1'
downRevision = null

void upgrade() {
    migration.calls << this
    migration.calls << twice(21).toString()
    migration.calls << [1, 2].collect { twice(it) }.toString()
    migration.calls << (respondsTo('twice') ? 'responds' : 'silent')
    migration.calls << (this.metaClass.getMetaMethod('twice', [Integer] as Object[]) != null).toString()
}

int twice(int n) { n * 2 }

void downgrade() {}
''', context)

        when:
        migration.upgrade()
        def scriptMeta = classMetaClass(context.calls[0])

        then:
        context.calls.drop(1) == ['42', '[2, 4]', 'responds', 'true']
        ((DeferredMetaClass) scriptMeta).isBuilt()
    }

    /**
     * The meta-class Groovy gives the script's class. The script's object has the JSR-223 engine's
     * delegating meta-class (its "global functions"), in front of this one.
     */
    static MetaClass classMetaClass(Object script) {
        MetaClass own = InvokerHelper.getMetaClass(script)
        assert own instanceof DelegatingMetaClass
        // Not script.getClass(), which Groovy would send through the script's meta-class.
        MetaClass behind = ((DelegatingMetaClass) own).adaptee
        assert behind.is(GroovySystem.metaClassRegistry.getMetaClass(behind.theClass))
        behind
    }

    def "a file that declares only a class is an invalid script, not a crash"() {
        given: 'a header the scanner would refuse, so made by hand'
        def text = 'class OnlyAClass { void upgrade() {} }\n'
        def script = new MigrationScript(dir.resolve('0011_class.groovy'), '0011_class.groovy', 'r1', [], null, false,
                Checksums.of(text), text)

        when:
        compiler.compile(script, ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), new RecordingContext('r1')))

        then:
        def e = thrown(InvalidScriptsException)
        e.problems()*.toString() == ['0011_class.groovy: declares a class and nothing else; a migration is a script:'
                + ' put revision, downRevision, upgrade() and downgrade() at its top level']
    }

    def "the migration context checks its direction and keeps parameters unmodifiable"() {
        when:
        new MigrationContext('r1', 'sideways', false, 'ns', [:])

        then:
        thrown(IllegalArgumentException)

        when:
        def context = new MigrationContext('r1', MigrationContext.DOWNGRADE, true, 'ns', [a: '1'])
        context.parameters.b = '2'

        then:
        thrown(UnsupportedOperationException)
        context.direction == 'downgrade'
        context.dryRun
    }

    def "each script's logger is named after its file"() {
        expect:
        ScriptBindings.loggerFor('0002_add_phone_number.groovy').name == 'fhirmig.migration.0002_add_phone_number'
    }
}

/** A context that scripts can record their calls in; it also shows that the context can be extended. */
class RecordingContext extends MigrationContext {

    final List<String> calls = []

    RecordingContext(String revision) {
        super(revision, UPGRADE, false, 'test', [batchSize: '10'])
    }
}
