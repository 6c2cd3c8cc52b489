package io.fhirmig.script

import spock.lang.Specification

/**
 * Cache keys name what a cache file holds: the same input always gives the same key, and inputs
 * that differ in any way (a character, a split between texts, the order) give different keys.
 */
class CacheKeySpec extends Specification {

    static String key(List<String> texts) {
        def key = new CacheKey()
        texts.each { key.add(it) }
        key.hex()
    }

    def "the same texts give the same key, as 32 lower-case hex digits"() {
        expect:
        key(['0001_a.groovy', 'sha256:00ff']) == key(['0001_a.groovy', 'sha256:00ff'])
        key(['0001_a.groovy', 'sha256:00ff']) ==~ /[0-9a-f]{32}/
        key([]) ==~ /[0-9a-f]{32}/
    }

    def "texts that differ give different keys: #why"() {
        expect:
        key(a) != key(b)

        where:
        why                              | a                          | b
        'one character'                  | ['0001_a.groovy']          | ['0001_b.groovy']
        'the split between two texts'    | ['ab', 'c']                | ['a', 'bc']
        'the order of two texts'         | ['a', 'b']                 | ['b', 'a']
        'an empty text more'             | ['a']                      | ['a', '']
        'nothing against an empty text'  | []                         | ['']
        'a trailing NUL'                 | ['a']                      | ['a\u0000']
        'a character above 0xFF'         | ['\u0101']                 | ['\u0001']
        'a text of a full block more'    | ['abcd']                   | ['abcdabcd']
    }

    def "no two of 200,000 similar script lists share a key"() {
        given: 'lists of file names and checksums as a versions folder holds them, each a small change from the next'
        def keys = new HashSet<String>()
        int made = 0

        when:
        for (int n = 0; n < 2000; n++) {
            for (int change = 0; change < 100; change++) {
                def key = new CacheKey()
                for (int i = 0; i < 3; i++) {
                    key.add(String.format('%04d_step.groovy', n + i))
                    key.add('sha256:' + Integer.toHexString((n * 100 + change) * 31 + i).padLeft(64, '0'))
                }
                keys << key.hex()
                made++
            }
        }

        then:
        made == 200_000
        keys.size() == made
    }

    def "a key can be read, then added to"() {
        given:
        def growing = new CacheKey().add('first')
        def early = growing.hex()

        expect:
        growing.hex() == early
        growing.add('second').hex() == key(['first', 'second'])
        early == key(['first'])
    }
}
