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

    def "a table's times are UTC to the second, and its checksums 12 hex digits"() {
        expect:
        Formats.utcSeconds(java.time.Instant.parse('2026-12-02T16:20:11.987654Z')) == '2026-12-02 16:20:11Z'
        Formats.utcSeconds(java.time.Instant.parse('2026-01-05T03:04:05Z')) == '2026-01-05 03:04:05Z'
        Formats.shortChecksum('sha256:3f2a9c0b1d2e4f5061728394a5b6c7d8e9f00112233445566778899aabbccdd') == '3f2a9c0b1d2e'
        Formats.shortChecksum('abc') == 'abc'
    }

    def "a table pads each column to its widest cell, two spaces apart, with no blanks at the ends of lines"() {
        expect:
        new Table('A', 'LONGER', 'C').row('xxxx', null, 'z').row('y', 'v', null).lines() == [
                'A     LONGER  C',
                'xxxx          z',
                'y     v']
    }
}
