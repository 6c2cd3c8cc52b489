package io.fhirmig.generate

import ca.uhn.fhir.context.FhirContext
import io.fhirmig.api.FhirmigException
import io.fhirmig.run.MigrationSet
import io.fhirmig.script.MigrationContext
import io.fhirmig.script.MigrationScript
import io.fhirmig.script.ScriptBindings
import io.fhirmig.script.ScriptCompiler
import io.fhirmig.script.ScriptLoader
import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset
import java.util.random.RandomGenerator
import spock.lang.Specification
import spock.lang.TempDir

class GeneratorSpec extends Specification {

    static final Clock CLOCK = Clock.fixed(Instant.parse('2026-03-04T05:06:07.890Z'), ZoneOffset.UTC)

    @TempDir
    Path dir

    Path versions

    def setup() {
        versions = Files.createDirectory(dir.resolve('versions'))
    }

    Generator generator(MigrationTemplate template = MigrationTemplate.builtIn()) {
        new Generator(versions, MigrationSet.load(versions).graph(), template, CLOCK, new Random(42))
    }

    GeneratedMigration generate(String name, List<String> parents = [], Map options = [:]) {
        generator(options.template ?: MigrationTemplate.builtIn()).write(new NewMigration(name, options.message as String,
                options.revision as String, parents, options.merge ?: false, 'alice@build-7'))
    }

    List<String> files() {
        Files.list(versions).withCloseable { it.map { it.fileName.toString() }.sorted().toList() }
    }

    /** Compiles a script as a run would, with the default imports and the bindings. */
    static void compiles(MigrationScript script) {
        def context = new MigrationContext(script.revision(), MigrationContext.UPGRADE, false, 'default', [:])
        new ScriptCompiler().compile(script, ScriptBindings.forScript(script, null, FhirContext.forR4Cached(), context))
    }

    def "the first migration of an empty folder is 0001, with a random 12-hex revision and no parent"() {
        when:
        def written = generate('add_flag')

        then:
        written.fileName() == '0001_add_flag.groovy'
        written.file() == versions.resolve('0001_add_flag.groovy')
        written.revision() ==~ /[0-9a-f]{12}/
        written.downRevisions() == []
        written.template() == MigrationTemplate.BUILT_IN

        and: 'it loads, validates and links as the only head'
        def set = MigrationSet.load(versions)
        set.graph().heads()*.id() == [written.revision()]
        def script = set.script(written.revision())
        script.downRevisions() == []
        script.description() == 'add flag'

        and: 'its header says what, when and by whom, and it compiles'
        def text = Files.readString(written.file())
        text.startsWith('// add_flag\n// Created 2026-03-04T05:06:07Z by alice@build-7 with `fhirmig generate`.\n')
        text.contains("revision     = '${written.revision()}'\ndownRevision = null\n")
        text.endsWith('}\n') && !text.endsWith('\n\n')
        compiles(script)
    }

    def "the template shows a forEach first, then a read, an update and a search with the fhir client, as comments"() {
        when:
        def text = Files.readString(generate('add_flag').file())
        def upgrade = text.substring(text.indexOf('void upgrade()'), text.indexOf('void downgrade()'))

        then: 'the first example is a forEach whose closure skips what is done already'
        def examples = upgrade.readLines().findAll { it.startsWith('    //   ') }
        examples[0] == "    //   migration.forEach('Patient?active=false') { Patient patient ->"
        examples[2].contains('return null')

        and: 'the idempotency rule is one comment above the functions'
        def rule = text.substring(0, text.indexOf('void upgrade()')).readLines().findAll { it.startsWith('//') }
                .join('\n')
        rule.contains('// Idempotency: a step may run again after a crash')
        rule.contains('running it twice does no harm')

        and:
        upgrade.contains('//   Patient patient = fhir.read().resource(Patient).withId(\'example\').execute()')
        upgrade.contains('//       fhir.update().resource(patient).execute()')
        upgrade.contains('//   Bundle page = fhir.search().forResource(Patient)')
        upgrade.readLines().findAll { it.trim() && !it.trim().startsWith('//') } == ['void upgrade() {', '}']
    }

    def "a new migration follows the given head and becomes the head"() {
        given:
        def first = generate('first')

        when:
        def second = generate('second', [first.revision()], [message: 'the second one'])

        then:
        second.fileName() == '0002_second.groovy'
        second.downRevisions() == [first.revision()]
        Files.readString(second.file()).contains("downRevision = '${first.revision()}'\n")
        def set = MigrationSet.load(versions)
        set.graph().heads()*.id() == [second.revision()]
        set.graph().parents(second.revision())*.id() == [first.revision()]
        set.script(second.revision()).description() == 'the second one'
    }

    def "the number follows the highest four-digit prefix, whatever the gaps and other files"() {
        given:
        Files.writeString(versions.resolve('0001_a.groovy'), script('r1', null))
        Files.writeString(versions.resolve('0007_b.groovy'), script('r7', 'r1'))
        Files.writeString(versions.resolve('0099_notes.txt'), 'not a script')
        Files.writeString(versions.resolve('README.md'), 'nor this')

        expect:
        generate('c', ['r7']).fileName() == '0008_c.groovy'
    }

    def "after 9999 comes 10000"() {
        given:
        Files.writeString(versions.resolve('9999_a.groovy'), script('r1', null))

        expect:
        generate('b', ['r1']).fileName() == '10000_b.groovy'
    }

    def "a merge lists its parents and has empty functions"() {
        given:
        Files.writeString(versions.resolve('0001_root.groovy'), script('root', null))
        Files.writeString(versions.resolve('0002_left.groovy'), script('left', 'root'))
        Files.writeString(versions.resolve('0003_right.groovy'), script('right', 'root'))
        def gen = generator()

        when:
        def name = gen.mergeName(['left', 'right'])
        def written = gen.write(new NewMigration(name, null, null, ['left', 'right'], true, 'alice@build-7'))

        then:
        written.fileName() == '0004_merge_left_right.groovy'
        def text = Files.readString(written.file())
        text.contains("downRevision = ['left', 'right']\n")
        text.contains('with `fhirmig merge`')
        text.contains('void upgrade() {\n}\n\nvoid downgrade() {\n}\n')
        def set = MigrationSet.load(versions)
        set.graph().heads()*.id() == [written.revision()]
        compiles(set.script(written.revision()))
    }

    def "a merge name shortens the ids, names at most three, and never repeats a used name"() {
        given:
        Files.writeString(versions.resolve('0001_merge_aaaaaaaa_bbbbbbbb.groovy'), script('r1', null))
        def gen = generator()

        expect:
        gen.mergeName(['aaaaaaaa-1111', 'bbbbbbbb-2222']) == 'merge_aaaaaaaa_bbbbbbbb_2'
        gen.mergeName(['a-b', 'c', 'd', 'e', 'f']) == 'merge_ab_c_d_and_2_more'
    }

    def "the name #name is refused and nothing is written"() {
        given:
        Files.writeString(versions.resolve('0001_add_flag.groovy'), script('r1', null))

        when:
        generate(name, ['r1'])

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.contains(says)
        files() == ['0001_add_flag.groovy']
        Files.list(dir).withCloseable { it.toList() } == [versions]

        where:
        name                 | says
        ''                   | 'empty'
        '../escaped'         | "'../escaped' is not allowed"
        '..'                 | 'is not allowed'
        'sub/dir'            | 'is not allowed'
        'a\\b'               | 'is not allowed'
        'dotted.name'        | 'is not allowed'
        'new\nline'          | "'new?line' is not allowed"
        'caf\u00e9'          | 'is not allowed'
        'x' * 101            | 'keep it to 100'
        'add_flag'           | 'already used by 0001_add_flag.groovy'
        'ADD_Flag'           | 'already used by 0001_add_flag.groovy'
        'Add-Flag'           | "'add_flag' is already used by 0001_add_flag.groovy"
        'a-b/c'              | "'a-b/c' is not allowed"
        '- -'                | "'- -' is not allowed"
    }

    def "a name typed as words becomes a slug: '#name' is written as #fileName"() {
        when:
        def written = generate(name)

        then:
        Generator.slug(name) == written.name()
        written.fileName() == fileName
        files() == [fileName]

        where:
        name                 | fileName
        'activate-patients'  | '0001_activate_patients.groovy'
        'Activate Patients'  | '0001_activate_patients.groovy'
        ' recode  LOINC-codes' | '0001_recode_loinc_codes.groovy'
        'already_a_name'     | '0001_already_a_name.groovy'
    }

    def "a given revision id is used when it is valid and new, and refused otherwise"() {
        given:
        Files.writeString(versions.resolve('0001_a.groovy'), script('taken', null))

        when:
        def written = generate('b', ['taken'], [revision: 'my-rev_1'])

        then:
        written.revision() == 'my-rev_1'
        MigrationSet.load(versions).graph().heads()*.id() == ['my-rev_1']

        when:
        generate('c', ['my-rev_1'], [revision: bad])

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.contains(says)
        files() == ['0001_a.groovy', '0002_b.groovy']

        where:
        bad      | says
        'taken'  | "'taken' is already used by 0001_a.groovy"
        'a/b'    | "'a/b' is not allowed"
        'a b'    | 'is not allowed'
        ''       | 'is not allowed'
    }

    def "a random id that a migration already has is drawn again"() {
        given:
        Files.writeString(versions.resolve('0001_a.groovy'), script('aaaaaaaaaaaa', null))
        def fills = [0xaa, 0xbb]
        def random = [nextLong: { 0L }, nextBytes: { byte[] bytes -> Arrays.fill(bytes, (byte) fills.remove(0)) }] as RandomGenerator
        def gen = new Generator(versions, MigrationSet.load(versions).graph(), MigrationTemplate.builtIn(), CLOCK, random)

        expect:
        gen.newRevisionId() == 'bbbbbbbbbbbb'
    }

    def "a parent the graph does not have is refused"() {
        when:
        generate('a', ['nowhere'])

        then:
        def e = thrown(FhirmigException)
        e.message.contains("cannot follow revision 'nowhere'")
        files() == []
    }

    def "a message of any text becomes the description and one header line, and cannot break out of either"() {
        given:
        def message = "it's a \$test \\ with \"quotes\"\nrevision = 'evil'\r\n\tend"

        when:
        def written = generate('odd', [], [message: message])
        def text = Files.readString(written.file())

        then:
        def script = MigrationSet.load(versions).script(written.revision())
        script.description() == "it's a \$test \\ with \"quotes\" revision = 'evil' \tend"
        text.readLines()[0] == "// odd: it's a \$test \\ with \"quotes\" revision = 'evil' \tend"
        compiles(script)
    }

    def "a project's template is used; its values are those the built-in template documents"() {
        given:
        def template = MigrationTemplate.of('my.template', '''\
// ${fileName} ${name} [${message}] ${createdAt} ${createdBy} ${merge} ${downRevisions.size()}
revision = '${revision}'
downRevision = ${downRevision}
description = ${description}
void upgrade() { log.info('our own template') }
void downgrade() {}
''')

        when:
        def written = generate('custom', [], [template: template, message: 'hello'])

        then:
        written.template() == 'my.template'
        Files.readString(written.file()) == """\
// 0001_custom.groovy custom [hello] 2026-03-04T05:06:07Z alice@build-7 false 0
revision = '${written.revision()}'
downRevision = null
description = 'hello'
void upgrade() { log.info('our own template') }
void downgrade() {}
"""
    }

    def "a template that does not render a usable migration is refused and nothing is written"() {
        when:
        generate('bad', [], [template: MigrationTemplate.of('broken.template', text)])

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.startsWith('the template broken.template ')
        e.message.contains(says)
        files() == []

        where:
        text                                                                     | says
        "revision = '\${revision}'\nvoid upgrade() {}\nvoid downgrade() {}\n"    | 'downRevision is not declared'
        "revision = 'fixed'\ndownRevision = null\nvoid upgrade() {}\nvoid downgrade() {}\n" | "renders revision 'fixed'"
        "revision = '\${revision}'\ndownRevision = \${downRevision}\nvoid upgrade() {\n"  | 'is not a usable migration'
        '${nosuchvalue}'                                                         | 'fails while rendering'
        '<% if ( %>'                                                             | 'does not parse'
    }

    def "the project's template file wins; without one the built-in template is used, unless one was asked for"() {
        given:
        def templates = dir.resolve('templates')

        expect:
        MigrationTemplate.find(templates, false).source() == MigrationTemplate.BUILT_IN

        when:
        MigrationTemplate.find(templates, true)

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.contains('has no migration.groovy.template')

        when:
        Files.createDirectory(templates)
        Files.writeString(templates.resolve('migration.groovy.template'), 'ours')
        def found = MigrationTemplate.find(templates, true)

        then:
        found.source() == templates.resolve('migration.groovy.template').toString()
        found.text() == 'ours'
        MigrationTemplate.find(templates, false).text() == 'ours'
    }

    def "the built-in template is the repository's templates/migration.groovy.template"() {
        expect:
        MigrationTemplate.builtInText() == Files.readString(Path.of('templates/migration.groovy.template'))
    }

    def "a missing versions folder is refused with a pointer to init"() {
        given:
        def gen = new Generator(dir.resolve('nowhere'), MigrationSet.load(versions).graph(), MigrationTemplate.builtIn())

        when:
        gen.checkName('ok')

        then:
        def e = thrown(FhirmigException)
        e.message.contains('fhirmig init')
        !Files.exists(dir.resolve('nowhere'))
    }

    static String script(String revision, String downRevision) {
        """\
revision = '${revision}'
downRevision = ${downRevision == null ? 'null' : "'" + downRevision + "'"}
void upgrade() {}
void downgrade() {}
"""
    }
}
