package io.fhirmig.cli

import io.fhirmig.Cli
import io.fhirmig.FaultProxy
import io.fhirmig.Scripts
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import java.nio.file.Path
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

/** Faults between the command line and the server, made by a real proxy: exit codes and one-line errors. */
class ServerFaultsCliSpec extends Specification {

    @TempDir
    Path versions

    @AutoCleanup
    FaultProxy proxy = new FaultProxy(TestServer.baseUrl())

    String ns = ServerProbe.unique('faults')

    private Cli.Result run(String url, String... command) {
        Cli.run(*(command as List<String>), '--url', url, '--versions', versions.toString(), '--namespace', ns)
    }

    def "a server that keeps answering 503 is exit 4 with one line, after 1 + 3 attempts"() {
        given:
        Scripts.chain(versions, ['f1'])
        proxy.rule(method: 'GET', times: -1, fault: FaultProxy.status(503))

        when:
        def result = run(proxy.baseUrl(), 'current')

        then:
        result.code == 4
        result.err.readLines() .size() == 1
        result.err.startsWith("error: the FHIR server at ${proxy.baseUrl()} answered HTTP 503")
        proxy.seen('GET') == 4
    }

    def "a server whose answers keep breaking off is exit 4, and says the answer was cut off"() {
        given:
        Scripts.chain(versions, ['f1'])
        proxy.rule(method: 'GET', times: -1, fault: FaultProxy.truncate())

        when:
        def result = run(proxy.baseUrl(), 'current')

        then:
        result.code == 4
        result.err.readLines().size() == 1
        result.err.startsWith("error: the FHIR server's answer was cut off while reading")
        proxy.seen('GET') == 4
    }

    def "an unreachable server (a closed port) is exit 4 with one line"() {
        given:
        Scripts.chain(versions, ['f1'])
        int closed = new ServerSocket(0).withCloseable { it.localPort }

        when:
        def result = run("http://127.0.0.1:$closed/fhir", 'upgrade')

        then:
        result.code == 4
        result.err.readLines().size() == 1
        result.err.startsWith("error: cannot reach the FHIR server at http://127.0.0.1:$closed/fhir")
        !result.err.contains('HAPI-')
    }

    def "--read-timeout is used: an answer later than it is given up on and asked for again"() {
        given:
        Scripts.chain(versions, ['f1'])
        proxy.failNext(1, 'GET', FaultProxy.delay(3_000))

        when:
        def result = run(proxy.baseUrl(), 'current', '--read-timeout', '1s')

        then:
        result.code == 0
        proxy.seen('GET') >= 2
        proxy.log[0].fault == 'delay 3000 ms'
    }
}
