package io.fhirmig.secure

import org.apache.logging.log4j.LogManager
import org.apache.logging.log4j.core.LoggerContext
import org.apache.logging.log4j.core.appender.WriterAppender
import org.apache.logging.log4j.core.layout.PatternLayout

/**
 * Everything logged while it is open, with stack traces and the messages of their causes: what a user
 * sees on the console with -v, and more.
 */
final class LogCapture implements AutoCloseable {

    private final StringWriter text = new StringWriter()
    private final WriterAppender appender

    LogCapture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false)
        appender = WriterAppender.createAppender(
                PatternLayout.newBuilder().withPattern('%level %logger %msg%n%throwable').build(),
                null, text, 'capture-' + System.identityHashCode(this), false, true)
        appender.start()
        context.configuration.addAppender(appender)
        context.configuration.rootLogger.addAppender(appender, null, null)
        context.updateLoggers()
    }

    String text() {
        text.toString()
    }

    @Override
    void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false)
        context.configuration.rootLogger.removeAppender(appender.name)
        context.updateLoggers()
        appender.stop()
    }
}
