package io.fhirmig.fhir.embedded;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the FHIR requests in flight and when the last one ended: how long the server has been idle. */
final class Activity implements Filter {

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastNanos = System.nanoTime();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        inFlight.incrementAndGet();
        try {
            chain.doFilter(request, response);
        } finally {
            lastNanos = System.nanoTime();
            inFlight.decrementAndGet();
        }
    }

    /** Counts as a request now: a command that found the server is about to use it. */
    void touch() {
        lastNanos = System.nanoTime();
    }

    /** How long since the last request ended; zero while one runs. */
    Duration idle() {
        return inFlight.get() > 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastNanos);
    }
}
