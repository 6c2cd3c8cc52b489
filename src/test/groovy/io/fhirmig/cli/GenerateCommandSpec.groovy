package io.fhirmig.cli

import io.fhirmig.TestServer
import io.fhirmig.fhir.ConnectionOptions
import io.fhirmig.fhir.FhirConnection
import io.fhirmig.run.MigrationSet
import io.fhirmig.state.FhirStateStore
import java.nio.file.Files
import java.nio.file.Path
import org.hl7.fhir.r4.model.Patient
import spock.lang.Specification
import spock.lang.TempDir

/**
 * {@code generate}, {@code merge} and {@code init} through the command line, against the shared
 * embedded FHIR server, each feature in a namespace of its own.
 */
class GenerateCommandSpec extends Specification {

    @TempDir
    Path dir

    Path versions
    String namespace

    def setup() {
        versions = Files.createDirectory(dir.resolve('versions'))
        namespace = 'generate-' + UUID.randomUUID().toString().substring(0, 8)
    }

    /** A command against the test server, in this feature's namespace and versions folder. */
    CliRun fhirmig(Object... args) {
        CliRun.of(args.toList() + ['--url', TestServer.baseUrl(), '--namespace', namespace, '--versions', versions])
    }

    List<String> files() {
        Files.list(versions).withCloseable { it.map { it.fileName.toString() }.sorted().toList() }
    }

    String revisionOf(String fileName) {
        (Files.readString(versions.resolve(fileName)) =~ /(?m)^revision\s*=\s*'([^']+)'/)[0][1]
    }

    List<String> serverHeads() {
        new FhirStateStore(FhirConnection.open(ConnectionOptions.of(TestServer.baseUrl())), namespace).read().heads()
    }

    def "generate writes the first migration, prints its path, and the file loads as the head"() {
        when:
        def run = fhirmig('generate', 'add_flag', '-m', 'flag the patients')

        then:
        run.code == 0
        run.out == versions.resolve('0001_add_flag.groovy').toString() + '\n'
        run.err.contains('downRevision none (the first migration)')
        files() == ['0001_add_flag.groovy']

        and:
        def set = MigrationSet.load(versions)
        def revision = revisionOf('0001_add_flag.groovy')
        set.graph().heads()*.id() == [revision]
        set.script(revision).description() == 'flag the patients'

        and: 'an upgrade compiles and runs it'
        fhirmig('upgrade').code == 0
        serverHeads() == [revision]

        and: 'the generate event is in the audit log'
        auditEvents().any { it.event == 'generate' && it.revision == revision && it.namespace == namespace }
    }

    def "generating twice without upgrading is refused the second time; --offline follows the graph's head"() {
        given:
        assert fhirmig('generate', 'first').code == 0
        def first = revisionOf('0001_first.groovy')

        when:
        def refused = fhirmig('generate', 'second')

        then:
        refused.code == 2
        refused.err.contains("the server has an unapplied migration in namespace '${namespace}': 0001_first.groovy")
        refused.err.contains('run `fhirmig upgrade` first')
        refused.out == ''
        files() == ['0001_first.groovy']

        when:
        def offline = fhirmig('generate', 'second', '--offline')

        then:
        offline.code == 0
        files() == ['0001_first.groovy', '0002_second.groovy']
        MigrationSet.load(versions).graph().parents(revisionOf('0002_second.groovy'))*.id() == [first]
    }

    def "once upgraded, generate follows the head applied on the server"() {
        given:
        assert fhirmig('generate', 'first').code == 0
        assert fhirmig('upgrade').code == 0

        when:
        def run = fhirmig('generate', 'second', '--rev-id', 'second-rev')

        then:
        run.code == 0
        revisionOf('0002_second.groovy') == 'second-rev'
        MigrationSet.load(versions).graph().parents('second-rev')*.id() == [revisionOf('0001_first.groovy')]
    }

    def "the name #name is refused with exit 2 and nothing is written"() {
        given:
        assert fhirmig('generate', 'existing').code == 0
        assert fhirmig('upgrade').code == 0

        when:
        def run = fhirmig('generate', name, '--offline')

        then:
        run.code == 2
        run.err.startsWith('error: the migration name')
        run.out == ''
        files() == ['0001_existing.groovy']
        Files.list(dir).withCloseable { it.toList() } == [versions]

        where:
        name << ['../outside', '..', 'a/b', '/tmp/abs', 'with space/x', 'existing', 'Existing', '']
    }

    def "a name with '-', spaces or capitals is made a slug, and generate says so"() {
        when:
        def run = fhirmig('generate', 'Activate-Patients', '--offline')

        then:
        run.code == 0
        run.out == versions.resolve('0001_activate_patients.groovy').toString() + '\n'
        run.err.contains("named it activate_patients (from 'Activate-Patients')")
        files() == ['0001_activate_patients.groovy']

        when: 'a name that needs no change is not mentioned'
        def plain = fhirmig('generate', 'second', '--offline')

        then:
        plain.code == 0
        !plain.err.contains('named it')
    }

    def "a bad --rev-id is refused with exit 2"() {
        given:
        assert fhirmig('generate', 'first', '--rev-id', 'taken').code == 0
        assert fhirmig('upgrade').code == 0

        expect:
        with(fhirmig('generate', 'second', '--rev-id', revision)) {
            code == 2
            err.contains(says)
        }
        files() == ['0001_first.groovy']

        where:
        revision | says
        'taken'  | "'taken' is already used by 0001_first.groovy"
        'a.b'    | "'a.b' is not allowed"
    }

    def "a project's own template is used, from --templates or the settings file"() {
        given:
        def templates = Files.createDirectory(dir.resolve('my-templates'))
        Files.writeString(templates.resolve('migration.groovy.template'), '''\
// OUR TEMPLATE for ${name}
revision = '${revision}'
downRevision = ${downRevision}
void upgrade() {}
void downgrade() {}
''')
        def config = Files.writeString(dir.resolve('fhirmig.properties'), "templates = ${templates.toString().replace('\\', '/')}\n")

        when:
        def option = fhirmig('generate', 'one', '--offline', '--templates', templates)
        def file = fhirmig('generate', 'two', '--offline', '--config', config)

        then:
        option.code == 0
        file.code == 0
        Files.readString(versions.resolve('0001_one.groovy')).startsWith('// OUR TEMPLATE for one\n')
        Files.readString(versions.resolve('0002_two.groovy')).startsWith('// OUR TEMPLATE for two\n')
        option.err.contains('template ' + templates.resolve('migration.groovy.template'))
        MigrationSet.load(versions).graph().heads()*.id() == [revisionOf('0002_two.groovy')]
    }

    def "a templates folder that was asked for but holds no template is refused"() {
        when:
        def run = fhirmig('generate', 'one', '--offline', '--templates', dir.resolve('nowhere'))

        then:
        run.code == 2
        run.err.contains('has no migration.groovy.template')
        files() == []
    }

    def "a missing versions folder is not created: init is"() {
        when:
        def run = CliRun.of(['generate', 'one', '--offline', '--versions', dir.resolve('missing')])

        then:
        run.code == 2
        run.err.contains('create it with `fhirmig init`')
        !Files.exists(dir.resolve('missing'))
    }

    def "--offline with several heads says so and points at merge"() {
        given:
        branches()

        when:
        def run = fhirmig('generate', 'next', '--offline')

        then:
        run.code == 2
        run.err.contains('the migrations have 2 heads')
        run.err.contains('`fhirmig merge`')
    }

    def "merging two heads leaves one head, and upgrade applies both branches and the merge"() {
        given:
        def (root, left, right) = branches()

        when:
        def merge = fhirmig('merge')

        then:
        merge.code == 0
        def fileName = '0004_merge_leftrevg_rightrev.groovy'
        merge.out == versions.resolve(fileName).toString() + '\n'
        def merged = revisionOf(fileName)
        def set = MigrationSet.load(versions)
        set.graph().heads()*.id() == [merged]
        set.graph().parents(merged)*.id() == [left, right]
        Files.readString(versions.resolve(fileName)).contains("downRevision = ['${left}', '${right}']")

        and:
        with(fhirmig('heads')) {
            code == 0
            out.readLines() == ["${merged}  ${fileName}  (pending)"]
        }

        when:
        def upgrade = fhirmig('upgrade')

        then:
        upgrade.code == 0
        upgrade.out.contains('upgraded 4 migration(s)')
        serverHeads() == [merged]
        def client = TestServer.newClient()
        client.read().resource(Patient).withId("${namespace}-left").execute().nameFirstRep.family == 'Left'
        client.read().resource(Patient).withId("${namespace}-right").execute().nameFirstRep.family == 'Right'

        and: 'a new migration follows the merge'
        fhirmig('generate', 'after').code == 0
        MigrationSet.load(versions).graph().parents(revisionOf('0005_after.groovy'))*.id() == [merged]
    }

    def "merge takes heads by prefix, and refuses fewer than two heads or a revision that is no head"() {
        given:
        def (root, left, right) = branches()

        expect:
        with(fhirmig('merge', 'roo')) {
            code == 2
            err.contains("${root} (0001_root.groovy) is not a head")
        }
        with(fhirmig('merge', 'left')) {
            code == 2
            err.contains('a merge joins at least two heads; only one was given')
        }
        files().size() == 3

        when:
        def run = fhirmig('merge', 'right', 'left', '-m', 'join left and right')

        then:
        run.code == 0
        def merged = revisionOf('0004_merge_rightrev_leftrevg.groovy')
        MigrationSet.load(versions).graph().parents(merged)*.id() == [right, left]
        MigrationSet.load(versions).script(merged).description() == 'join left and right'

        when:
        def again = fhirmig('merge')

        then:
        again.code == 2
        again.err.contains('nothing to merge: the migrations have one head')
    }

    def "merge with no migrations has nothing to merge"() {
        expect:
        with(fhirmig('merge')) {
            code == 2
            err.contains('nothing to merge: there are no migrations yet')
        }
    }

    def "init lays out a project, and refuses to overwrite anything with exit 2"() {
        given:
        def project = dir.resolve('project')

        when:
        def run = CliRun.of(['init', project])

        then:
        run.code == 0
        run.out.readLines().take(4) == ["created ${project}/", "created ${project.resolve('versions')}/",
                                        "created ${project.resolve('templates')}/",
                                        "created ${project.resolve('templates/migration.groovy.template')}"]*.toString()
        run.out.contains("created ${project.resolve('fhirmig.properties')}")
        Files.isDirectory(project.resolve('versions'))

        when: 'only the settings file is there'
        def other = Files.createDirectory(dir.resolve('other'))
        Files.writeString(other.resolve('fhirmig.properties'), 'url = mine\n')
        def refused = CliRun.of(['init', other])

        then:
        refused.code == 2
        refused.err.contains('nothing was written')
        Files.list(other).withCloseable { it.toList() } == [other.resolve('fhirmig.properties')]
        Files.readString(other.resolve('fhirmig.properties')) == 'url = mine\n'

        and: 'a migration generated in the new project from its template loads'
        with(CliRun.of(['generate', 'first', '--offline', '--versions', project.resolve('versions'),
                        '--templates', project.resolve('templates')])) {
            code == 0
        }
        MigrationSet.load(project.resolve('versions')).graph().heads().size() == 1
    }

    /**
     * A root and two branches from it: left and right each create a Patient of this namespace.
     * Revision ids are long enough that the merge's file name shows shortened ones.
     */
    List<String> branches() {
        def root = "root-rev-${namespace}"
        def left = "left-rev-${namespace}"
        def right = "right-rev-${namespace}"
        Files.writeString(versions.resolve('0001_root.groovy'), """\
revision = '${root}'
downRevision = null
void upgrade() {}
void downgrade() {}
""")
        ['left': left, 'right': right].eachWithIndex { side, revision, i ->
            Files.writeString(versions.resolve("000${i + 2}_${side}.groovy"), """\
revision = '${revision}'
downRevision = '${root}'
void upgrade() {
    Patient patient = new Patient()
    patient.id = '${namespace}-${side}'
    patient.addName().setFamily('${side.capitalize()}')
    fhir.update().resource(patient).execute()
}
void downgrade() {
    fhir.delete().resourceById('Patient', '${namespace}-${side}').execute()
}
""")
        }
        [root, left, right]
    }

    static List<Map> auditEvents() {
        def file = Path.of(System.getProperty('fhirmig.audit.file', '.fhirmig/audit.log'))
        Files.readAllLines(file).collect { new groovy.json.JsonSlurper().parseText(it) as Map }
    }
}
