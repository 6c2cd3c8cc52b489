package io.fhirmig.cli

import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The project is found as git and Alembic find theirs: the nearest folder upwards that holds
 * fhirmig.properties (or the file --config or FHIRMIG_CONFIG names). Its settings resolve against it,
 * and .fhirmig/ lives there. With no project and no server, the embedded server is named plainly, and
 * the commands that write ask first on a terminal.
 */
class ProjectDiscoverySpec extends Specification {

    @TempDir
    Path dir

    String ns = ServerProbe.unique('discovery')

    /** A terminal that answers as told, and remembers what it was asked; or none. */
    static class FakeTerminal implements Terminal {
        final String answer
        final List<String> asked = []

        FakeTerminal(String answer) {
            this.answer = answer
        }

        boolean available() {
            answer != null
        }

        String ask(String prompt) {
            asked << prompt
            answer
        }
    }

    /** A command line run in {@code folder}, as a user would run it there. */
    CliRun fhirmigIn(Path folder, Map options = [:], List<?> args) {
        def cmd = Main.newCommandLine(args*.toString() as String[])
        FhirmigCommand top = (FhirmigCommand) cmd.command
        top.workingDir = folder
        top.environment = options.environment ?: [:]
        top.terminal = options.terminal ?: new FakeTerminal(null)
        def out = new StringWriter()
        def err = new StringWriter()
        cmd.out = new PrintWriter(out, true)
        cmd.err = new PrintWriter(err, true)
        CliRun.of(cmd.execute(args*.toString() as String[]), out.toString(), err.toString())
    }

    Settings settingsIn(Path folder, Map<String, String> environment = [:], Closure options = {}) {
        def command = new FhirmigCommand()
        options(command)
        new SettingsResolver(environment, folder).resolve(command)
    }

    Path project(String properties) {
        def root = Files.createDirectories(dir.resolve('proj'))
        Files.writeString(root.resolve('fhirmig.properties'), properties)
        def migrations = Files.createDirectories(root.resolve('migrations'))
        Files.writeString(migrations.resolve('0001_a.groovy'),
                "revision = 'a'\ndownRevision = null\n\nvoid upgrade() {}\nvoid downgrade() {}\n")
        root
    }

    def "run from a subfolder, a command finds the project above it, and its settings and .fhirmig/ are the project's"() {
        given: 'a project whose settings name a server, a namespace and a relative versions folder'
        def root = project("url=${TestServer.baseUrl()}\nnamespace=${ns}\nversions=migrations\n")
        def deep = Files.createDirectories(root.resolve('migrations/notes'))

        when:
        def upgrade = fhirmigIn(deep, ['upgrade'])

        then:
        upgrade.code == 0
        upgrade.out.contains('upgraded 1 migration(s)')
        ServerProbe.store(ns).read().heads() == ['a']

        and: 'the cache is the project root\'s; nothing is made in the folder the command ran in'
        Files.isDirectory(root.resolve('.fhirmig/cache'))
        Files.list(deep).withCloseable { it.toList() } == []
        !Files.exists(root.resolve('migrations/.fhirmig'))

        when: 'another command, from the versions folder itself'
        def current = fhirmigIn(root.resolve('migrations'), ['current'])

        then:
        current.code == 0
        current.out == 'a (head)  0001_a.groovy\n'
    }

    def "the project's root is the nearest folder with fhirmig.properties, or that of the file FHIRMIG_CONFIG or --config names"() {
        given:
        def proj = project('url=http://team.example/fhir\nversions=migrations\n')
        def sub = Files.createDirectories(proj.resolve('a/b'))
        def elsewhere = Files.createDirectories(dir.resolve('elsewhere'))
        Files.writeString(elsewhere.resolve('other.properties'), 'url=http://other.example/fhir\n')

        expect: 'found upwards; relative settings from the file resolve against the root'
        with(settingsIn(sub)) {
            url() == 'http://team.example/fhir'
            root() == proj
            versions().normalize() == proj.resolve('migrations')
            cache().normalize() == proj.resolve('.fhirmig/cache')
            embeddedData().normalize() == proj.resolve('.fhirmig/server')
            projectFound()
        }

        and: 'a folder typed as an option is relative to the folder it was typed in'
        settingsIn(sub, [:]) { it.versions = Path.of('here') }.versions() == sub.resolve('here')

        and: 'FHIRMIG_CONFIG and --config name the file, and its folder is the root'
        with(settingsIn(sub, [FHIRMIG_CONFIG: elsewhere.resolve('other.properties').toString()])) {
            url() == 'http://other.example/fhir'
            root() == elsewhere
            versions() == elsewhere.resolve('versions')
        }
        settingsIn(sub, [:]) { it.config = elsewhere.resolve('other.properties') }.root() == elsewhere

        and: 'in the root itself, paths read as before: relative to it'
        settingsIn(Path.of('')).versions() == Path.of('versions')
    }

    def "with no project and no server, upgrade asks on a terminal; any answer but yes does nothing"() {
        given:
        def empty = Files.createDirectories(dir.resolve('empty'))
        def terminal = new FakeTerminal('n')

        when:
        def run = fhirmigIn(empty, [terminal: terminal], ['upgrade'])

        then:
        run.code == 2
        terminal.asked == ['upgrade against this embedded server? [y/N] ']
        run.err.startsWith('no fhirmig.properties here or in a folder above, and no server given: using an embedded'
                + ' FHIR server for this folder (data in ')
        run.err.contains("error: upgrade not confirmed; nothing was done.")
        Files.list(empty).withCloseable { it.toList() } == []
    }

    def "an embedded server chosen by #how is not asked about"() {
        given:
        def empty = Files.createDirectories(dir.resolve('empty'))
        def terminal = new FakeTerminal('n')
        def settings = settingsIn(empty, environment) { options(it) }

        when:
        def confirmed = EmbeddedNotice.confirm(settings, terminal, new PrintWriter(new StringWriter()), 'upgrade')

        then:
        confirmed.is(settings)
        terminal.asked == []
        settings.embeddedUnchosen() == unchosen

        where:
        how                                      | environment                    | options                            | unchosen
        '--url embedded'                         | [:]                            | { it.url = 'embedded' }            | false
        'FHIRMIG_URL=embedded'                   | [FHIRMIG_URL: 'embedded']      | {}                                 | false
        'a server given'                         | [:]                            | { it.url = 'http://x.example/fhir' } | false
    }

    def "url=embedded in the project file chooses the embedded server; a project without url uses it as before"() {
        given:
        def chosen = Files.createDirectories(dir.resolve('chosen'))
        Files.writeString(chosen.resolve('fhirmig.properties'), 'url=embedded\n')
        def defaulted = Files.createDirectories(dir.resolve('defaulted'))
        Files.writeString(defaulted.resolve('fhirmig.properties'), 'namespace=x\n')
        def none = Files.createDirectories(dir.resolve('none'))

        expect:
        !settingsIn(chosen).embeddedUnchosen()
        !settingsIn(defaulted).embeddedUnchosen()
        settingsIn(none).embeddedUnchosen()

        and: 'without a terminal nothing is asked: the notice, then the run, as a script needs'
        def noTerminal = new FakeTerminal(null)
        EmbeddedNotice.confirm(settingsIn(none), noTerminal, new PrintWriter(new StringWriter()), 'upgrade')
                .embeddedUnchosen()
        noTerminal.asked == []

        and: 'a project gets no notice: only the line that says which embedded server it uses (EmbeddedEndpoint)'
        def err = new StringWriter()
        EmbeddedNotice.print(settingsIn(defaulted), new PrintWriter(err))
        err.toString() == ''

        and: 'no project does'
        def plain = new StringWriter()
        EmbeddedNotice.print(settingsIn(none), new PrintWriter(plain))
        plain.toString().startsWith('no fhirmig.properties here or in a folder above, and no server given')
    }
}
