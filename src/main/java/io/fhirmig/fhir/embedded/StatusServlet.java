package io.fhirmig.fhir.embedded;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /fhirmig/status}: who this server is, as {@code key=value} lines (see {@link
 * EmbeddedFhirServer#statusText}), for the commands that look for the server of a folder. Not a FHIR
 * request, so it does not keep the server from stopping when idle, unless asked with {@code ?use}:
 * a command that is about to send requests.
 */
final class StatusServlet extends HttpServlet {

    static final String PATH = "/fhirmig/status";

    private final transient Supplier<String> status;
    private final transient Activity activity;
    private final transient Supplier<Boolean> stopping;

    StatusServlet(Supplier<String> status, Activity activity, Supplier<Boolean> stopping) {
        this.status = status;
        this.activity = activity;
        this.stopping = stopping;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getParameter("use") != null) {
            activity.touch();
        }
        response.setStatus(stopping.get() ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : HttpServletResponse.SC_OK);
        response.setContentType("text/plain;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(status.get().getBytes(StandardCharsets.UTF_8));
    }
}
