package io.fhirmig.cli

import io.fhirmig.api.FhirmigException
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import spock.lang.Specification
import spock.lang.TempDir

/** The connect and read timeouts are settings like the others: option, environment, file, default. */
class TimeoutSettingsSpec extends Specification {

    @TempDir
    Path dir

    private Settings resolve(Map<String, String> env, Map<String, String> file, Closure options = {}) {
        if (file) {
            Files.writeString(dir.resolve('fhirmig.properties'), file.collect { k, v -> "$k=$v" }.join('\n'))
        }
        def command = new FhirmigCommand()
        options(command)
        new SettingsResolver(env, dir).resolve(command)
    }

    def "the defaults are 10 s to connect and 5 minutes to answer"() {
        when:
        def settings = resolve([:], [:])

        then:
        settings.connectTimeout() == Duration.ofSeconds(10)
        settings.readTimeout() == Duration.ofMinutes(5)
    }

    def "the option is stronger than the environment, which is stronger than the file"() {
        expect:
        resolve([:], [readTimeout: '90s', connectTimeout: '2s']).readTimeout() == Duration.ofSeconds(90)
        resolve([:], [readTimeout: '90s', connectTimeout: '2s']).connectTimeout() == Duration.ofSeconds(2)
        resolve([FHIRMIG_READ_TIMEOUT: '2m', FHIRMIG_CONNECT_TIMEOUT: '500ms'], [readTimeout: '90s']).readTimeout() == Duration.ofMinutes(2)
        resolve([FHIRMIG_CONNECT_TIMEOUT: '500ms'], [connectTimeout: '2s']).connectTimeout() == Duration.ofMillis(500)
        resolve([FHIRMIG_READ_TIMEOUT: '2m'], [readTimeout: '90s']) { it.readTimeout = '1h' }.readTimeout() == Duration.ofHours(1)
        resolve([:], [:]) { it.connectTimeout = '3' }.connectTimeout() == Duration.ofSeconds(3)
        resolve([:], [:]) { it.readTimeout = 'PT10M' }.readTimeout() == Duration.ofMinutes(10)
    }

    def "'#value' is refused naming the setting"() {
        when:
        resolve([FHIRMIG_READ_TIMEOUT: value], [:])

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.startsWith("readTimeout (--read-timeout, FHIRMIG_READ_TIMEOUT, readTimeout=) is '${value.trim()}', which is not a duration")

        where:
        value << ['abc', '0s', '-5s', '5 minutes', '10d', '99999999h']
    }

    def "a bad timeout on the command line is exit 2 with one line, before anything is sent"() {
        when:
        def run = EnvCli.run([FHIRMIG_CONNECT_TIMEOUT: 'soon'], ['current', '--url', 'http://127.0.0.1:1/fhir',
                                                               '--versions', dir.toString()])
        def option = EnvCli.run([:], ['current', '--read-timeout', '5x', '--url', 'http://127.0.0.1:1/fhir',
                                      '--versions', dir.toString()])

        then:
        run.code == 2
        run.err.readLines() == ["error: connectTimeout (--connect-timeout, FHIRMIG_CONNECT_TIMEOUT, connectTimeout=) is 'soon',"
                                        + ' which is not a duration: give e.g. 500ms, 30s, 5m or 1h (more than zero, at most 24 days)']
        option.code == 2
        option.err.readLines().size() == 1
        option.err.startsWith("error: readTimeout (--read-timeout, FHIRMIG_READ_TIMEOUT, readTimeout=) is '5x'")
    }

    def "--help shows the timeout options and settings"() {
        when:
        def help = CliRun.of(['--help'])

        then:
        help.code == 0
        help.out.contains('--connect-timeout=DURATION')
        help.out.contains('--read-timeout=DURATION')
        help.out.contains('FHIRMIG_READ_TIMEOUT')
    }
}
