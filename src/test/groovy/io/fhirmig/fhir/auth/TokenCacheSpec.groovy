package io.fhirmig.fhir.auth

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import spock.lang.Specification

/**
 * Tokens are reused until shortly before they expire (30 seconds, or half their lifetime when that is
 * shorter), then fetched again; a token the server refused is dropped. The clock is the test's, so that
 * no test waits for a token to expire.
 */
class TokenCacheSpec extends Specification {

    Instant now = Instant.parse('2026-01-01T10:00:00Z')
    Clock clock = new Clock() {
        ZoneOffset getZone() { ZoneOffset.UTC }
        Clock withZone(java.time.ZoneId zone) { this }
        Instant instant() { now }
    }
    int fetched = 0
    TokenCache cache = new TokenCache(clock)

    String token(long lifetimeSeconds) {
        cache.token {
            fetched++
            new AccessToken(Secret.of("t${fetched}"), now, lifetimeSeconds < 0 ? null : now.plusSeconds(lifetimeSeconds))
        }
    }

    def "a token is reused until 30 seconds before it expires, then fetched again"() {
        expect:
        token(300) == 't1'

        when:
        now = now.plusSeconds(269)
        then:
        token(300) == 't1'

        when:
        now = now.plusSeconds(1)
        then:
        token(300) == 't2'
        fetched == 2
    }

    def "a short-lived token is renewed at half its lifetime"() {
        expect:
        token(20) == 't1'

        when:
        now = now.plus(Duration.ofSeconds(9))
        then:
        token(20) == 't1'

        when:
        now = now.plus(Duration.ofSeconds(1))
        then:
        token(20) == 't2'
    }

    def "a token without an expiry is kept until the server refuses it"() {
        expect:
        token(-1) == 't1'

        when:
        now = now.plus(Duration.ofDays(1))
        then:
        token(-1) == 't1'

        when:
        cache.reject('t1')
        then:
        token(-1) == 't2'
    }

    def "refusing a token that was already replaced keeps the new one"() {
        given:
        token(300)
        cache.reject('t1')
        token(300)

        when: 'a second thread reports the old token refused'
        cache.reject('t1')

        then:
        token(300) == 't2'
        fetched == 2
    }

    def "secrets never print"() {
        expect:
        Secret.of('hunter2').toString() == '[hidden]'
        new Authentication.Basic('alice', Secret.of('hunter2')).toString() == 'Basic[user=alice, password=[hidden]]'
        !new Authentication.ClientSecret('https://auth.example.org/token', 'app', Secret.of('s3cret'), null).toString().contains('s3cret')
        new AccessToken(Secret.of('tok-1'), now, null).toString().contains('[hidden]')
        !io.fhirmig.fhir.ConnectionOptions.of('https://bob:pw@fhir.example.org/fhir')
                .withSecurity(new Authentication.BearerToken(Secret.of('tok-2')), null, ['X-Api-Key': 'key-3'])
                .toString().matches(/.*(pw|tok-2|key-3).*/)
    }
}
