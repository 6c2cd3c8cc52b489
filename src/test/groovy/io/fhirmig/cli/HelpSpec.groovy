package io.fhirmig.cli

import io.fhirmig.Cli
import spock.lang.Specification

/**
 * The help as a newcomer meets it: a bare fhirmig prints it, `fhirmig help [COMMAND]` works, a
 * command's help lists its own options only, a typo gets a "did you mean", and the shell completes.
 */
class HelpSpec extends Specification {

    static final List<String> COMMANDS = ['upgrade', 'downgrade', 'current', 'status', 'history', 'heads', 'show', 'check',
                                          'stamp', 'reset', 'adopt', 'unlock', 'repair', 'init', 'generate', 'merge',
                                          'serve', 'help', 'completion']

    def "a bare fhirmig, or options and no command, prints the help and exits 2"() {
        when:
        def bare = Cli.run(*args)

        then:
        bare.code == 2
        bare.out == ''
        bare.err == Cli.run('--help').out
        bare.err.startsWith('Usage: fhirmig [-hqvV]')
        !bare.err.contains('Missing required subcommand')

        where:
        args << [[], ['-q']]
    }

    def "fhirmig help prints the help, and fhirmig help COMMAND that command's, as --help does"() {
        expect:
        with(Cli.run('help')) {
            code == 0
            out == Cli.run('--help').out
            COMMANDS.every { name -> out.readLines().any { it.startsWith("  ${name} ") } }
        }
        with(Cli.run('help', 'stamp')) {
            code == 0
            out == Cli.run('stamp', '--help').out
        }
        with(Cli.run('help', 'stmap')) {
            code == 2
            err.readLines() == ["error: unknown command 'stmap' (did you mean stamp?)"]
        }
    }

    def "the global options are listed once, in fhirmig --help; a command's help lists the options it uses"() {
        when:
        def top = Cli.run('--help').out
        def serve = Cli.run('serve', '--help').out
        def stamp = Cli.run('stamp', '--help').out

        then: 'the top lists them'
        ['--url=URL', '--versions=DIR', '--namespace=NAME', '--templates=DIR', '--token-file=FILE', '-v, --verbose']
                .every { top.contains(it) }

        and: 'serve shows its own and points at the top for the rest'
        serve.readLines()[0] == 'Usage: fhirmig serve [-hV] [--in-memory] [--status] [--stop] [--port=N]'
        !serve.contains('--versions=DIR')
        !serve.contains('--templates')
        !serve.contains('--token-file')
        serve.contains("Global options (--url, --versions, --namespace, -v, ...): see 'fhirmig --help'.")

        and: 'stamp runs no script, so it takes no parameters for one; its TARGET says what it is'
        stamp.readLines()[0..1]*.trim() == ['Usage: fhirmig stamp [-hV] [--json] [--lock-ttl=SECONDS] [--lock-wait=SECONDS]', 'TARGET']
        stamp.contains('      TARGET                What to mark applied: head, heads, base or a')

        and: 'upgrade still takes them'
        Cli.run('upgrade', '--help').out.contains('  -p, --param=KEY=VALUE')
    }

    def "stamp, reset, repair and adopt refuse -p: they run no script"() {
        expect:
        with(Cli.run(command, '-p', 'a=1')) {
            code == 2
            err.startsWith("error: unknown option '-p'")
        }

        where:
        command << ['stamp', 'reset', 'repair', 'adopt']
    }

    def "the global options still work after a command's name: #args"() {
        expect:
        Main.newCommandLine(args as String[]).parseArgs(args as String[]).asCommandLineList()[0].command.url == 'http://h/fhir'

        where:
        args << [['serve', '--url', 'http://h/fhir'], ['stamp', 'head', '--url=http://h/fhir']]
    }

    def "a mistyped command or option gets a did you mean: #typed"() {
        when:
        def run = Cli.run(*typed)

        then:
        run.code == 2
        run.err.readLines() == [message]

        where:
        typed                        | message
        ['upgrade', '--dryrun']      | "error: unknown option '--dryrun' (did you mean --dry-run?) (see 'fhirmig upgrade --help')"
        ['upgrade', '--lock-wiat=3'] | "error: unknown option '--lock-wiat=3' (did you mean --lock-wait?) (see 'fhirmig upgrade --help')"
        ['histroy']                  | "error: unknown command 'histroy' (did you mean history?) (see 'fhirmig --help')"
        ['--verbsoe', 'current']     | "error: unknown option '--verbsoe' (did you mean --verbose?) (see 'fhirmig --help')"
        ['nosuch']                   | "error: unknown command 'nosuch' (see 'fhirmig --help')"
    }

    def "fhirmig completion bash|zsh prints a completion script that knows the commands and their options"() {
        when:
        def bash = Cli.run('completion', 'bash')
        def zsh = Cli.run('completion', 'zsh')
        def fish = Cli.run('completion', 'fish')

        then:
        bash.code == 0
        bash.out.contains('complete -F _complete_fhirmig')
        ['upgrade', 'downgrade', 'stamp', 'completion'].every { bash.out.contains(it) }
        bash.out.contains('--dry-run')
        bash.out.contains('function _picocli_fhirmig_status()')
        bash.out.contains('--lock-wait')

        and: 'zsh loads it through bashcompinit'
        zsh.code == 0
        zsh.out.contains('bashcompinit')

        and:
        fish.code == 2
        fish.err.readLines() == ["error: no completion for 'fish': fhirmig completes in bash and zsh"]
    }
}
