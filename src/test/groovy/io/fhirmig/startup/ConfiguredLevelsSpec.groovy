package io.fhirmig.startup

import org.apache.logging.log4j.Level
import org.apache.logging.log4j.core.LoggerContext
import org.apache.logging.log4j.core.config.ConfigurationSource
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory
import spock.lang.Specification

/**
 * The levels read from log4j2.properties without starting Log4j decide whether a line is written
 * until Log4j starts ({@link LazyLoggerContext}): they must be the levels Log4j itself gives.
 */
class ConfiguredLevelsSpec extends Specification {

    static final List<String> NAMES = [
            '', 'io.fhirmig', 'io.fhirmig.run.Migrator', 'fhirmig', 'fhirmig.audit', 'fhirmig.script.0001_a',
            'ca.uhn.fhir.context.FhirContext', 'ca.uhn.fhir.rest.server.RestfulServer', 'ca.uhn',
            'org.springframework.beans.factory.support.DefaultListableBeanFactory',
            'org.springframework.context.support.PostProcessorRegistrationDelegate$BeanPostProcessorChecker',
            'org.hibernate.SQL', 'org.hibernate.orm.deprecation', 'org.eclipse.jetty.server.Server',
            'org.h2.engine', 'org.quartz.core', 'org.apache.http.wire', 'com.example.Anything', 'io.fhirmigration']

    Properties fhirmigProperties() {
        def properties = new Properties()
        getClass().classLoader.getResourceAsStream(ConfiguredLevels.RESOURCE).withCloseable { properties.load(it) }
        properties
    }

    /** The level Log4j's own configuration of fhirmig's file gives each logger, in a context of its own. */
    Map<String, Level> log4jLevels() {
        def context = new LoggerContext('configured-levels-spec')
        def source = new ConfigurationSource(getClass().classLoader.getResourceAsStream(ConfiguredLevels.RESOURCE))
        def configuration = new PropertiesConfigurationFactory().getConfiguration(context, source)
        configuration.initialize()
        NAMES.collectEntries { [(it): configuration.getLoggerConfig(it).level] }
    }

    def "every logger's level is the one Log4j's own reading of log4j2.properties gives"() {
        given:
        def levels = new ConfiguredLevels(ConfiguredLevels.parse(fhirmigProperties()))

        expect:
        levels.known()
        NAMES.collectEntries { [(it): levels.levelOf(it)] } == log4jLevels()

        and: 'spot checks, as the file says them'
        levels.levelOf('io.fhirmig.run.Migrator') == Level.INFO
        levels.levelOf('ca.uhn.fhir.rest.server.RestfulServer') == Level.ERROR
        levels.levelOf('com.example.Anything') == Level.WARN
    }

    def "a level the command line sets holds for the logger and those below it, unless they have their own"() {
        given:
        def levels = new ConfiguredLevels(['': Level.WARN, 'io.fhirmig': Level.INFO, 'io.fhirmig.noisy': Level.ERROR])

        when:
        levels.set('io.fhirmig', Level.DEBUG)

        then:
        levels.levelOf('io.fhirmig') == Level.DEBUG
        levels.levelOf('io.fhirmig.run.Migrator') == Level.DEBUG
        levels.levelOf('io.fhirmig.noisy.Thing') == Level.ERROR
        levels.levelOf('io.fhirmigration') == Level.WARN
        levels.overrides() == ['io.fhirmig': Level.DEBUG]
    }

    def "a level asked for before the command line sets one is answered anew after"() {
        given:
        def levels = new ConfiguredLevels(['': Level.WARN, 'io.fhirmig': Level.INFO])

        expect:
        levels.levelOf('io.fhirmig.run.Migrator') == Level.INFO

        when:
        levels.set('io.fhirmig.run', Level.DEBUG)

        then:
        levels.levelOf('io.fhirmig.run.Migrator') == Level.DEBUG
        levels.levelOf('io.fhirmig.graph.Planner') == Level.INFO
    }

    def "a configuration in a form not read here is unknown, so Log4j itself is asked: #form"() {
        given:
        def properties = new Properties()
        properties.load(new StringReader(text))

        expect:
        ConfiguredLevels.parse(properties) == null

        where:
        form                          | text
        'the short form of the root'  | 'rootLogger = INFO, console\n'
        'no root level'               | 'logger.a.name = a\nlogger.a.level = INFO\n'
        'the short form of a logger'  | 'rootLogger.level = WARN\nlogger.a = DEBUG, console\n'
        'a level Log4j does not know' | 'rootLogger.level = WARN\nlogger.a.name = a\nlogger.a.level = LOUD\n'
        'a logger without a level'    | 'rootLogger.level = WARN\nlogger.a.name = a\n'
    }

    def "another configuration file named to Log4j makes the levels unknown"() {
        given:
        System.setProperty('log4j2.configurationFile', 'elsewhere.xml')

        expect:
        !ConfiguredLevels.fromClasspath().known()

        cleanup:
        System.clearProperty('log4j2.configurationFile')
    }
}
