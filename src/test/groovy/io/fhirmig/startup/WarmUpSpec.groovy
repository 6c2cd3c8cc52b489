package io.fhirmig.startup

import java.time.Duration
import java.util.concurrent.CountDownLatch
import org.apache.logging.log4j.core.LoggerContext
import org.apache.logging.log4j.simple.SimpleLoggerContext
import spock.lang.Specification

class WarmUpSpec extends Specification {

    def "waiting for logging lasts until another thread has finished starting it"() {
        given: 'a logging context that another thread starts a moment later'
        def context = new LoggerContext('warm-up-spec')
        def waiting = new CountDownLatch(1)
        def starter = Thread.start {
            waiting.await()
            sleep(300)
            context.start()
        }

        when:
        waiting.countDown()
        boolean started = WarmUp.awaitStarted(context, Duration.ofSeconds(30))
        boolean startedOnReturn = context.isStarted()

        then: 'it returns only once the configuration is in place'
        started
        startedOnReturn

        cleanup:
        starter?.join()
        context.stop()
    }

    def "a context that nobody starts is given up on when the time is over"() {
        given:
        def context = new LoggerContext('never-started')

        expect:
        !WarmUp.awaitStarted(context, Duration.ofMillis(50))
        !context.isStarted()
    }

    def "a context that is not Log4j's own is not waited for"() {
        expect:
        !WarmUp.awaitStarted(new SimpleLoggerContext(), Duration.ofSeconds(30))
    }
}
