package io.fhirmig.cli

import io.fhirmig.Cli
import spock.lang.Specification

/** The command line gets only the command it names, yet reads like one with every command. */
class CommandsSpec extends Specification {

    def "a command line that names a command has that command only"() {
        expect:
        Main.newCommandLine(args as String[]).subcommands.keySet() as List == expected

        where:
        args                                           | expected
        ['current']                                    | ['current']
        ['-q', '--namespace', 'upgrade', 'current']    | ['current']
        ['--namespace=upgrade', 'heads', '--json']     | ['heads']
        ['--url', 'http://h/fhir', 'downgrade', '-1']  | ['downgrade']
    }

    def "without a known command every command is there: #args"() {
        expect:
        Main.newCommandLine(args as String[]).subcommands.keySet() as List == ['upgrade', 'downgrade', 'current',
                'status', 'history', 'heads', 'show', 'check', 'verify', 'stamp', 'reset', 'adopt', 'unlock', 'repair', 'init', 'generate',
                'merge', 'serve', 'help', 'completion']

        where:
        args << [[], ['--help'], ['curent'], ['-q']]
    }

    def "the version alone needs no command, and prints the version: #args"() {
        when:
        def run = Cli.run(*args)

        then:
        Main.newCommandLine(args as String[]).subcommands.isEmpty()
        run.code == 0
        run.out.readLines() == ["fhirmig ${pomVersion()}".toString(), "Java ${System.getProperty('java.version')}".toString()]
        // Main.main prints these without picocli: the same text.
        Main.asksForVersionOnly(args as String[])
        VersionProvider.text() == run.out

        where:
        args << [['--version'], ['-V']]
    }

    /** The version the build was given, as the pom names it. */
    static String pomVersion() {
        new groovy.xml.XmlSlurper().parse(new File('pom.xml')).version.text()
    }

    def "the build's version is written into the code when it is built"() {
        expect:
        io.fhirmig.api.BuildInfo.VERSION == pomVersion()
    }

    def "only the version alone skips the command line: #args"() {
        expect:
        !Main.asksForVersionOnly(args as String[])

        where:
        args << [[], ['--version', 'current'], ['-q', '-V'], ['--versions', 'x'], ['version']]
    }

    def "the help lists every command, and a mistyped one is refused with a pointer to it"() {
        when:
        def help = Cli.run('--help')
        def typo = Cli.run('histroy')

        then:
        help.code == 0
        ['upgrade', 'downgrade', 'current', 'status', 'history', 'heads', 'show', 'check', 'stamp', 'reset', 'unlock',
         'repair', 'init', 'generate', 'merge', 'serve'].every { name -> help.out.readLines().any { it.startsWith("  ${name} ") } }
        typo.code == 2
        typo.err.contains('histroy')
    }
}
