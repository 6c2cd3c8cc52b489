package io.fhirmig.script

import spock.lang.Specification

class ChecksumsSpec extends Specification {

    def "the checksum is sha256: and the hex SHA-256 of the UTF-8 text"() {
        expect:
        Checksums.of('abc') == 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    }

    def "a leading byte order mark and CRLF line endings do not change the checksum"() {
        given:
        def lf = "revision = 'a'\ndownRevision = null\n"

        expect:
        Checksums.of('\uFEFF' + lf) == Checksums.of(lf)
        Checksums.of(lf.replace('\n', '\r\n')) == Checksums.of(lf)
        Checksums.of('\uFEFF' + lf.replace('\n', '\r\n')) == Checksums.of(lf)
    }

    def "a real edit changes the checksum"() {
        expect:
        Checksums.of("revision = 'a'\n") != Checksums.of("revision = 'b'\n")
        Checksums.of("x = 1\n") != Checksums.of("x = 1\n\n")
    }

    def "only a leading byte order mark is dropped"() {
        expect:
        Checksums.normalize('\uFEFFa\uFEFF') == 'a\uFEFF'
        Checksums.normalize('a\r\nb\rc') == 'a\nb\rc'
    }
}
