package io.fhirmig.cli

import io.fhirmig.Cli
import java.nio.file.Path
import picocli.CommandLine
import spock.lang.Specification

/**
 * The commands' models are written in code ({@link CommandModel}), not read from annotations: what a
 * user types must still reach each command's fields, with the same defaults, and every command
 * keeps its help and version options.
 */
class CommandModelSpec extends Specification {

    /** Parses a command line as fhirmig would and returns the command object it chose. */
    private static Object parsed(String... args) {
        CommandLine cmd = Main.newCommandLine(args)
        List<CommandLine> chosen = cmd.parseArgs(args).asCommandLineList()
        chosen.last().command
    }

    def "the top options reach the top command from before or after the command's name, and upgrade's own reach it"() {
        when:
        UpgradeCommand upgrade = parsed('--url', 'http://h/fhir', '--versions', 'v', 'upgrade', '+2',
                '--namespace', 'ns', '--templates', 't', '--config', 'c.properties',
                '--token-file', 'tok', '--ca-file', 'ca.pem', '--header', 'X-Tenant: a', '--header', 'X-Other: b',
                '--lock-wait', '5', '-p', 'a=1', '--param', 'b=2', '--dry-run', '--json')
        FhirmigCommand top = upgrade.top

        then:
        top.url == 'http://h/fhir'
        top.versions == Path.of('v')
        top.namespace == 'ns'
        top.templates == Path.of('t')
        top.config == Path.of('c.properties')
        top.tokenFile == Path.of('tok')
        top.caFile == Path.of('ca.pem')
        top.headers == ['X-Tenant: a', 'X-Other: b']
        !top.verbose()
        upgrade.target() == '+2'
        upgrade.dryRun
        upgrade.json
        upgrade.runOptions.lockWaitSeconds == 5
        upgrade.runOptions.lockTtlSeconds == 600
        upgrade.runOptions.parameters == [a: '1', b: '2']
    }

    def "what a user leaves out takes its default"() {
        when:
        UpgradeCommand upgrade = parsed('upgrade')
        DowngradeCommand downgrade = parsed('downgrade')
        ServeCommand serve = parsed('serve')
        InitCommand init = parsed('init')
        MergeCommand merge = parsed('merge')
        CurrentCommand current = parsed('current')

        then:
        upgrade.target() == 'head'
        !upgrade.dryRun
        upgrade.runOptions.lockWaitSeconds == 0
        upgrade.runOptions.parameters.isEmpty()
        upgrade.top.headers == null
        upgrade.top.url == null
        downgrade.target() == '-1'
        serve.port == 8080
        !serve.inMemory
        !serve.exitWhenReady
        init.dir == Path.of('.')
        merge.revisions == []
        merge.message == null
        !current.json
    }

    def "each command's own options and parameters reach it"() {
        expect:
        with(parsed('-v', 'merge', 'abc', 'def', '-m', 'join them') as MergeCommand) {
            revisions == ['abc', 'def']
            message == 'join them'
            top.verbose()
        }
        with(parsed('generate', 'add_flag', '--message', 'Adds a flag', '--rev-id', 'r1', '--offline') as GenerateCommand) {
            name == 'add_flag'
            message == 'Adds a flag'
            revId == 'r1'
            offline
        }
        with(parsed('serve', '--port', '0', '--in-memory', '--exit-when-ready') as ServeCommand) {
            port == 0
            inMemory
            exitWhenReady
        }
        with(parsed('stamp', 'base', '--lock-ttl', '30') as StampCommand) {
            target == 'base'
            runOptions.lockTtlSeconds == 30
        }
        (parsed('check', '--offline', '--json') as CheckCommand).with { offline && json }
        (parsed('show', 'abc') as ShowCommand).revision == 'abc'
        (parsed('init', 'project') as InitCommand).dir == Path.of('project')
        (parsed('heads', '--json') as HeadsCommand).json
        (parsed('history', '--json') as HistoryCommand).json
        (parsed('status', '--json') as StatusCommand).json
        parsed('reset') instanceof ResetCommand
        parsed('repair', '--lock-wait', '3').runOptions.lockWaitSeconds == 3
        parsed('unlock') instanceof UnlockCommand
    }

    def "every command has -h and -V, and its help shows its own options, the global ones only by pointing at fhirmig --help: #name"() {
        when:
        def help = Cli.run(name, '--help')
        def version = Cli.run(name, '-V')

        then:
        help.code == 0
        help.out.startsWith("Usage: fhirmig ${name} [-hV]")
        help.out.contains('  -h, --help ')
        !help.out.contains('--url=URL')
        !help.out.contains('-q, --quiet')
        help.out.endsWith("\nGlobal options (--url, --versions, --namespace, -v, ...): see 'fhirmig --help'.\n")
        !help.out.contains('--exit-when-ready')
        version.code == 0
        version.out.readLines() == ["fhirmig ${CommandsSpec.pomVersion()}".toString(),
                                    "Java ${System.getProperty('java.version')}".toString()]

        where:
        name << ['upgrade', 'downgrade', 'current', 'status', 'history', 'heads', 'show', 'check', 'stamp', 'reset',
                 'unlock', 'repair', 'init', 'generate', 'merge', 'serve']
    }

    def "a missing required parameter and a value of the wrong type are refused as usage errors"() {
        when:
        def show = Cli.run('show')
        def generate = Cli.run('generate')
        def lockWait = Cli.run('upgrade', '--lock-wait', 'soon')

        then:
        show.code == 2
        show.err.contains("Missing required parameter: 'REV'")
        generate.code == 2
        generate.err.contains("Missing required parameter: 'NAME'")
        lockWait.code == 2
        lockWait.err.contains("'soon' is not a long")
    }
}
