package io.fhirmig.cli

import spock.lang.Specification

class FormatsSpec extends Specification {

    def "a run's duration reads as milliseconds, then seconds to the millisecond, then minutes"() {
        expect:
        Formats.elapsed(millis) == text

        where:
        millis    || text
        0         || '0 ms'
        999       || '999 ms'
        1_000     || '1.000 s'
        12_345    || '12.345 s'
        59_999    || '59.999 s'
        60_000    || '1 min 00 s'
        89_600    || '1 min 30 s'
        245_400   || '4 min 05 s'
        7_384_000 || '123 min 04 s'
    }
}
