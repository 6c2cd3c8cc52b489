package io.fhirmig.cli

import io.fhirmig.api.FhirmigException
import io.fhirmig.TestServer
import io.fhirmig.fhir.embedded.EmbeddedFhirServer
import io.fhirmig.fhir.embedded.EmbeddedServerOptions
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/** Bad input on the command line: one line, the documented exit code, no stack trace. */
class CliErrorsSpec extends Specification {

    @TempDir
    Path dir

    private Map run(String... args) {
        def out = new StringWriter()
        def err = new StringWriter()
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args)
        [code: code, out: out.toString(), err: err.toString()]
    }

    def "#what is a one-line usage error with exit code 2"() {
        when:
        def result = run(args as String[])

        then:
        result.code == 2
        result.err.readLines().size() == 1
        result.err.startsWith('error: ' + message)
        !result.err.contains('Exception')
        !result.err.contains('\tat ')

        where:
        what                        | args                                  | message
        'an unknown command'        | ['nosuch']                            | "unknown command 'nosuch'"
        'an unknown option'         | ['--bogus']                           | "unknown option '--bogus'"
        'an unknown command option' | ['serve', '--bogus']                  | "unknown option '--bogus'"
        'a bad option value'        | ['serve', '--port', 'abc']            | "Invalid value for option '--port'"
        'a bad target'              | ['upgrade', 'no/such', '--url', 'http://127.0.0.1:1/fhir', '--versions', 'versions'] | "'no/such' is not a target"
    }

    def "--help lists the commands and --version the version"() {
        when:
        def help = run('--help')
        def version = run('--version')

        then:
        help.code == 0
        ['upgrade', 'downgrade', 'current', 'history', 'heads', 'show', 'check', 'stamp', 'reset', 'unlock',
         'repair', 'serve'].every { help.out =~ /(?m)^\s+$it\s/ }
        version.code == 0
        version.out.startsWith('fhirmig ')
    }

    def "serve on a port that is taken exits 4 with one line naming the port"() {
        given:
        int port = TestServer.get().port()

        when:
        def result = run('serve', '--in-memory', '--port', "$port")

        then:
        result.code == 4
        result.err.readLines().findAll { it.startsWith('error:') } ==
                ["error: port $port on 127.0.0.1 is already in use: choose another with --port".toString()]
        !result.err.contains('\tat ')
    }

    def "a data folder that cannot be written is refused before the server starts"() {
        given: 'a file where the folder should be: even root cannot create a folder under it'
        Path blocker = Files.writeString(dir.resolve('blocker'), 'not a folder')

        when:
        EmbeddedFhirServer.start(new EmbeddedServerOptions(blocker.resolve('server'), 0))

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.SERVER
        e.message == "cannot write the embedded server's data folder ${blocker.resolve('server')}: use a writable data folder, or an in-memory embedded server"

        and: 'the command line words the remedy with its own options'
        Remedies.message(e) == "cannot write the embedded server's data folder ${blocker.resolve('server')}: run fhirmig in a project folder you can write to, or give a server with --url (`fhirmig serve --in-memory` keeps its data in memory)"
    }

    def "a missing settings file given with --config is a usage error"() {
        when:
        def result = run('current', '--config', dir.resolve('missing.properties').toString())

        then:
        result.code == 2
        result.err.trim() == "error: settings file ${dir.resolve('missing.properties')} does not exist"
    }
}
