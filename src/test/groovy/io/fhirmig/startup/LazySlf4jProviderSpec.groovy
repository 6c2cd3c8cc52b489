package io.fhirmig.startup

import org.apache.logging.log4j.Level
import org.apache.logging.log4j.LogManager
import org.apache.logging.log4j.core.LogEvent
import org.apache.logging.log4j.core.appender.AbstractAppender
import org.apache.logging.log4j.core.config.LoggerConfig
import org.apache.logging.log4j.core.config.Property
import spock.lang.Specification

/**
 * The command line's SLF4J binding (what HAPI's and HttpClient's logging goes through): its loggers
 * answer from the lazy context's levels without starting Log4j, and a line that is written starts it
 * and reaches Log4j's logger of the same name.
 */
class LazySlf4jProviderSpec extends Specification {

    static final String NAME = 'io.fhirmig.spec.slf4j'

    def "a logger answers from the configured and the set levels, and asking starts nothing"() {
        given:
        def context = new LazyLoggerContext(new ConfiguredLevels(['': Level.WARN, 'io.fhirmig': Level.INFO]))
        def provider = new LazySlf4jProvider(context)
        provider.initialize()
        def logger = provider.loggerFactory.getLogger(NAME + '.Asked')

        expect:
        logger.name == NAME + '.Asked'
        logger.isInfoEnabled()
        !logger.isDebugEnabled()
        !provider.loggerFactory.getLogger('org.apache.http.wire').isInfoEnabled()
        provider.loggerFactory.getLogger('org.apache.http.wire').isWarnEnabled()

        and: 'the same logger for the same name, over the context logger of that name'
        provider.loggerFactory.getLogger(NAME + '.Asked').is(logger)
        context.hasLogger(NAME + '.Asked')

        and: "SLF4J's root logger is Log4j's, whose name is empty"
        provider.loggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).isWarnEnabled()
        context.hasLogger('')

        when: 'a level is set on the context, as -v does'
        context.setLevel(NAME, Level.DEBUG)

        then:
        logger.isDebugEnabled()
        !context.isStarted()
    }

    def "a line that is written starts Log4j and goes to its logger of that name"() {
        given:
        def context = new LazyLoggerContext(new ConfiguredLevels(['': Level.WARN]))
        def provider = new LazySlf4jProvider(context)
        provider.initialize()
        def logger = provider.loggerFactory.getLogger(NAME + '.Written')
        context.setLevel(NAME, Level.ERROR)

        when:
        logger.error('a line from the SLF4J binding spec {}', 1)

        then:
        context.isStarted()
        LogManager.getContext(false).getLogger(NAME + '.Written').level == Level.ERROR
        !logger.isWarnEnabled()
    }

    def "the binding names the SLF4J API it is written for, and has markers and a context map"() {
        given:
        def provider = new LazySlf4jProvider(new LazyLoggerContext(new ConfiguredLevels([:])))
        provider.initialize()

        expect:
        provider.requestedApiVersion.startsWith('2.0.')
        provider.markerFactory.getMarker('FHIRMIG').name == 'FHIRMIG'

        when:
        provider.MDCAdapter.put('run', 'r-1')

        then:
        provider.MDCAdapter.get('run') == 'r-1'

        cleanup:
        provider.MDCAdapter.remove('run')
    }

    def "a written line keeps its arguments, marker and exception"() {
        given: "a collecting appender on Log4j's logger of the name"
        def events = []
        def appender = new AbstractAppender('slf4j-spec', null, null, true, Property.EMPTY_ARRAY) {
            @Override
            void append(LogEvent event) {
                events << event.toImmutable()
            }
        }
        appender.start()
        def log4j = LogManager.getContext(false) as org.apache.logging.log4j.core.LoggerContext
        def config = new LoggerConfig(NAME + '.Collected', Level.WARN, false)
        config.addAppender(appender, null, null)
        log4j.configuration.addLogger(NAME + '.Collected', config)
        log4j.updateLoggers()

        and:
        def context = new LazyLoggerContext(new ConfiguredLevels(['': Level.WARN]))
        def provider = new LazySlf4jProvider(context)
        provider.initialize()
        def logger = provider.loggerFactory.getLogger(NAME + '.Collected')
        def failure = new IllegalStateException('boom')

        when:
        logger.warn(provider.markerFactory.getMarker('AUDIT'), 'step {} of {}', 2, 5, failure)
        logger.info('not written at WARN')

        then:
        events.size() == 1
        events[0].message.formattedMessage == 'step 2 of 5'
        events[0].thrown.is(failure)
        events[0].marker.name == 'AUDIT'
        events[0].level == Level.WARN

        cleanup:
        log4j?.configuration?.removeLogger(NAME + '.Collected')
        log4j?.updateLoggers()
    }
}
