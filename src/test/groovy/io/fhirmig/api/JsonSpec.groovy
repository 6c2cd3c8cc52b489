package io.fhirmig.api

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.time.Duration
import java.time.Instant
import spock.lang.Specification

/**
 * Audit lines are read by people's tools (jq, log shippers): every kind of value an event holds must
 * read back as it was written (as the lines Groovy's JsonOutput wrote before), on one ASCII line.
 */
class JsonSpec extends Specification {

    enum Kind { UPGRADE }

    def "writes #label so that it reads back as it was, and as JsonOutput's line of it does"() {
        given:
        def fields = new LinkedHashMap<String, Object>([time: '2026-11-29T19:30:00Z', value: value])
        String line = Json.line(fields)

        expect:
        new JsonSlurper().parseText(line) == new JsonSlurper().parseText(JsonOutput.toJson(fields))
        new JsonSlurper().parseText(line).value == (value instanceof Enum ? value.name() : value)
        line.chars().allMatch { it >= 0x20 && it <= 0x7f }

        where:
        label                     | value
        'plain text'              | 'upgrade a1b2'
        'quotes and backslashes'  | 'C:\\mig "x"\\'
        'line breaks and tabs'    | 'boom\n\tat x\r\n'
        'control characters'      | '\u0000\u0001\b\f\u001f\u007f'
        'non-ASCII text'          | 'Müller – 病人 😀 \u2028'
        'a slash'                 | 'http://host/fhir'
        'an empty string'         | ''
        'an int'                  | 42
        'a long'                  | 12345678901234L
        'a negative long'         | -7L
        'true'                    | true
        'false'                   | false
        'a double'                | 1.5d
        'a list of strings'       | ['p-1', 'p"2']
        'an empty list'           | []
        'a nested map'            | [k: ['a', 3], n: [:]]
    }

    def "writes an enum as its name in lower case"() {
        given:
        def fields = new LinkedHashMap<String, Object>([direction: Kind.UPGRADE])

        expect:
        Json.line(fields) == '{"direction":"upgrade"}'
    }

    def "writes a result record as an object of its components, in their order, times in ISO-8601"() {
        given:
        def step = new MigrationStep('a1', '0001_a.groovy', Direction.DOWNGRADE, Duration.ofMillis(1500))
        def result = new MigrationResult([step], ['a1'], [], Duration.ofSeconds(2))

        expect:
        Json.line([result: result, none: Optional.empty(), at: Instant.parse('2026-12-02T10:00:00Z')]) ==
                ('{"result":{"steps":[{"revision":"a1","file":"0001_a.groovy","direction":"downgrade","duration":"PT1.5S","bulk":[]}],'
                        + '"headsBefore":["a1"],"headsAfter":[],"duration":"PT2S"},"none":null,"at":"2026-12-02T10:00:00Z"}')
        new JsonSlurper().parseText(Json.pretty(result)).steps[0].revision == 'a1'
    }

    def "keeps the fields in the order they were added"() {
        given:
        def fields = new LinkedHashMap<String, Object>()
        fields.event = 'step-start'
        fields.revision = 'a1'
        fields.durationMs = 12L
        fields.merge = null

        expect:
        Json.line(fields) == '{"event":"step-start","revision":"a1","durationMs":12,"merge":null}'
    }
}
