package io.fhirmig.cli

import io.fhirmig.api.VerifyReport
import java.time.Duration
import spock.lang.Specification

/**
 * What verify shows while it runs: on a terminal a spinner naming the running step, cleared before
 * each migration's lines; elsewhere (a pipe, a CI log, {@code -q}) the lines only.
 */
class VerifyProgressSpec extends Specification {

    def out = new StringWriter()
    def err = new ByteArrayOutputStream()

    static VerifyReport.RevisionResult passed(String file) {
        new VerifyReport.RevisionResult('r1', file, 1, [new VerifyReport.Check('idempotent', true, null, [], 0)],
                Duration.ofMillis(5))
    }

    String terminal() {
        err.toString('UTF-8')
    }

    def "on a terminal a spinner names the step while it runs, and is cleared before the migration's lines"() {
        given:
        def progress = new VerifyProgress(new PrintWriter(out), new PrintStream(err, true, 'UTF-8'), true)

        when: 'a step runs until the spinner has drawn twice'
        progress.stepStarted('0001_a.groovy', 'upgrade() again')
        long deadline = System.nanoTime() + 10_000_000_000L
        while (terminal().count('0001_a.groovy  upgrade() again') < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20)
        }
        String drawn = terminal()
        progress.stepEnded()
        progress.revisionDone(passed('0001_a.groovy'))
        progress.close()

        then: 'frames turn on one line, which is cleared before anything else is printed'
        drawn.count('0001_a.groovy  upgrade() again') >= 2
        drawn.startsWith('\r| 0001_a.groovy  upgrade() again  0 s')
        drawn.contains('\r/ 0001_a.groovy  upgrade() again')
        terminal().endsWith('\r\033[K')
        out.toString() == 'ok    0001_a.groovy  idempotent  (upgrade() changes 1 resource(s))' + System.lineSeparator()
    }

    def "off a terminal there is no spinner, only the lines"() {
        given:
        def progress = new VerifyProgress(new PrintWriter(out), new PrintStream(err, true, 'UTF-8'), false)

        when:
        progress.stepStarted('0001_a.groovy', 'upgrade()')
        Thread.sleep(300)
        progress.stepEnded()
        progress.revisionDone(passed('0001_a.groovy'))
        progress.close()

        then:
        terminal().isEmpty()
        out.toString().startsWith('ok    0001_a.groovy  idempotent')
    }
}
