package io.fhirmig.startup

import org.apache.logging.log4j.Level
import org.apache.logging.log4j.LogManager
import spock.lang.Specification

/**
 * The command line's logging answers whether a line would be written without starting Log4j, and
 * starts it for the first line that is. Log4j's context here is the test JVM's own (already started),
 * as the process's one is for the command line.
 */
class LazyLoggerContextSpec extends Specification {

    static final String NAME = 'io.fhirmig.spec.lazy'

    def "a logger answers from the configured levels, and the context is not started by asking"() {
        given:
        def context = new LazyLoggerContext(new ConfiguredLevels(['': Level.WARN, 'io.fhirmig': Level.INFO]))
        def logger = context.getLogger(NAME + '.Asked')

        expect:
        logger.isInfoEnabled()
        !logger.isDebugEnabled()
        context.getLogger('org.example.Other').isWarnEnabled()
        !context.getLogger('org.example.Other').isInfoEnabled()
        logger.level == Level.INFO

        and: 'the same logger for the same name'
        context.getLogger(NAME + '.Asked').is(logger)
        context.hasLogger(NAME + '.Asked')

        and:
        !context.isStarted()
    }

    def "a line that is written starts Log4j, with the levels set before, and the logger then asks Log4j"() {
        given:
        def context = new LazyLoggerContext(new ConfiguredLevels(['': Level.WARN, 'io.fhirmig': Level.INFO]))
        def logger = context.getLogger(NAME + '.Written')
        context.setLevel(NAME, Level.ERROR)

        expect: 'the level set is read ahead too'
        !logger.isWarnEnabled()
        !context.isStarted()

        when:
        logger.error('a line from the lazy logger spec')

        then:
        context.isStarted()
        LogManager.getContext(false).getLogger(NAME + '.Written').level == Level.ERROR
        !logger.isWarnEnabled()

        when: 'a level set now goes to Log4j at once'
        context.setLevel(NAME, Level.DEBUG)

        then:
        logger.isDebugEnabled()
        LogManager.getContext(false).getLogger(NAME + '.Written').isDebugEnabled()

        cleanup:
        context.setLevel(NAME, Level.INFO)
    }

    def "a line below the level starts nothing"() {
        given:
        def context = new LazyLoggerContext(new ConfiguredLevels(['': Level.WARN]))

        when:
        context.getLogger('org.example.Quiet').info('not written')

        then:
        !context.isStarted()
    }
}
