package io.fhirmig.state

import java.time.Instant
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import spock.lang.Specification

/** The state's dateTimes are written as HAPI wrote them: UTC, always with milliseconds. */
class StateDateTimeSpec extends Specification {

    def "#instant is written #text"() {
        expect:
        StateResources.dateTime(Instant.parse(instant)) == text

        where:
        instant                          | text
        '2031-11-25T10:10:00.250Z'       | '2031-11-25T10:10:00.250Z'
        '2026-01-02T03:04:05Z'           | '2026-01-02T03:04:05.000Z'
        '1970-01-01T00:00:00Z'           | '1970-01-01T00:00:00.000Z'
        '2026-12-31T23:59:59.999999999Z' | '2026-12-31T23:59:59.999Z'
        '0999-05-06T07:08:09.005Z'       | '0999-05-06T07:08:09.005Z'
    }

    def "it agrees with a pattern formatter over many instants"() {
        given:
        def pattern = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
        def random = new Random(7)

        expect:
        (1..2000).every {
            Instant instant = Instant.ofEpochMilli(random.nextLong() % 4_000_000_000_000L).plusNanos(random.nextInt(1_000_000))
            StateResources.dateTime(instant) == pattern.format(instant)
        }
    }
}
