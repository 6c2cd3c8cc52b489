package io.fhirmig.graph

import io.fhirmig.api.FhirmigException
import spock.lang.Specification

class TargetSpec extends Specification {

    def "'#text' parses to #expected"() {
        expect:
        Target.parse(text) == expected
        Target.parse(text).toString() == text.strip()

        where:
        text       | expected
        'head'     | Target.HEAD
        'heads'    | Target.HEADS
        'base'     | Target.BASE
        ' head '   | Target.HEAD
        '+1'       | new Target.Relative(1)
        '+12'      | new Target.Relative(12)
        '-1'       | new Target.Relative(-1)
        '-30'      | new Target.Relative(-30)
        'ae10'     | new Target.Rev('ae10')
        'headx'    | new Target.Rev('headx')
        'HEAD'     | new Target.Rev('HEAD')
        '-12ab'    | new Target.Rev('-12ab')   // a sign with more than digits is a revision
        '-ab'      | new Target.Rev('-ab')
        '12'       | new Target.Rev('12')      // digits without a sign are a revision prefix
        'a_b-C9'   | new Target.Rev('a_b-C9')
    }

    def "the parsed kinds are the sealed variants"() {
        expect:
        Target.parse('head') instanceof Target.Head
        Target.parse('heads') instanceof Target.Heads
        Target.parse('base') instanceof Target.Base
        (Target.parse('-3') as Target.Relative).steps() == -3
        (Target.parse('d5a1') as Target.Rev).idOrPrefix() == 'd5a1'
    }

    def "'#text' is a usage error: #fragment"() {
        when:
        Target.parse(text)

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.contains(fragment)

        where:
        text                | fragment
        null                | 'no target given'
        ''                  | 'no target given'
        '   '               | 'no target given'
        'a b'               | "'a b' is not a target: use head, heads, base, +N, -N, or a revision id"
        'ab+2'              | "'ab+2' is not a target"
        '+'                 | "'+' is not a target"
        '+1a'               | "'+1a' is not a target"
        '../etc'            | "'../etc' is not a target"
        '+0'                | "'+0' moves nowhere: give at least one step, as in +1"
        '-0'                | "'-0' moves nowhere"
        '+99999999999'      | "'+99999999999' is too many steps"
    }

    def "a relative target of zero steps cannot be made"() {
        when:
        new Target.Relative(0)

        then:
        thrown(IllegalArgumentException)
    }
}
