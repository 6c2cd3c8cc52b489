package io.fhirmig.run

import spock.lang.Specification

class RunIdentitySpec extends Specification {

    def "each run gets its own eight hex digits in the lock owner"() {
        when:
        def runs = (1..200).collect { RunIdentity.current() }

        then:
        runs.every { it.runId() ==~ /[0-9a-f]{8}/ }
        runs*.runId().toSet().size() == 200
        runs[0].lockOwner() == "${runs[0].userAtHost()} pid ${ProcessHandle.current().pid()} ${runs[0].runId()}"
    }
}
