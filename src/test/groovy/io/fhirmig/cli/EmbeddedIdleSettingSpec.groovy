package io.fhirmig.cli

import io.fhirmig.api.FhirmigException
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import spock.lang.Specification
import spock.lang.TempDir

/** embeddedIdle: how long the background embedded server runs without requests; off for none. */
class EmbeddedIdleSettingSpec extends Specification {

    @TempDir
    Path dir

    private Settings resolve(Map<String, String> env, Map<String, String> file) {
        if (file) {
            Files.writeString(dir.resolve('fhirmig.properties'), file.collect { k, v -> "$k=$v" }.join('\n'))
        }
        new SettingsResolver(env, dir).resolve(new FhirmigCommand())
    }

    def "30 minutes by default; the environment is stronger than the file; 0 and off mean no background server"() {
        expect:
        resolve([:], [:]).embeddedIdle() == Duration.ofMinutes(30)
        resolve([:], [:]).backgroundEmbedded()
        resolve([:], [embeddedIdle: '45s']).embeddedIdle() == Duration.ofSeconds(45)
        resolve([FHIRMIG_EMBEDDED_IDLE: '2h'], [embeddedIdle: '45s']).embeddedIdle() == Duration.ofHours(2)
        resolve([FHIRMIG_EMBEDDED_IDLE: '0'], [:]).embeddedIdle() == Duration.ZERO
        !resolve([FHIRMIG_EMBEDDED_IDLE: '0'], [:]).backgroundEmbedded()
        !resolve([:], [embeddedIdle: 'OFF']).backgroundEmbedded()
        !resolve([FHIRMIG_URL: 'http://fhir.example/fhir'], [:]).backgroundEmbedded()
    }

    def "'#value' is refused naming the setting"() {
        when:
        resolve([FHIRMIG_EMBEDDED_IDLE: value], [:])

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.startsWith("embeddedIdle (FHIRMIG_EMBEDDED_IDLE, embeddedIdle=; 0 or off for no background server)"
                + " is '${value}', which is not a duration")

        where:
        value << ['soon', '-5m', '30 minutes']
    }

    def "on the command line a bad value is exit 2 with one line, before any server is looked for"() {
        when:
        def run = EnvCli.run([FHIRMIG_EMBEDDED_IDLE: 'soon'], ['current'])

        then:
        run.code == 2
        run.err.readLines() == ["error: embeddedIdle (FHIRMIG_EMBEDDED_IDLE, embeddedIdle=; 0 or off for no"
                + " background server) is 'soon', which is not a duration: give e.g. 500ms, 30s, 5m or 1h"
                + " (more than zero, at most 24 days)"]
        run.out == ''
    }
}
