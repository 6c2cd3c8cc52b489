package io.fhirmig.fhir;

import io.fhirmig.api.ServerText;
import io.fhirmig.fhir.net.TlsProblems;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import java.io.EOFException;
import java.io.IOException;
import org.apache.http.ConnectionClosedException;
import org.apache.http.MalformedChunkCodingException;

/** Turns HAPI client exceptions into one-line errors that name the server without credentials. */
public final class ServerErrors {

    private ServerErrors() {
    }

    /**
     * @param action what fhirmig was doing, e.g. "reading the migration state"
     */
    public static FhirmigException translate(RuntimeException e, String displayUrl, String action) {
        if (e instanceof FhirmigException fe) {
            return fe;
        }
        if (e instanceof FhirClientConnectionException) {
            return connectionProblem(e, displayUrl, " while " + action);
        }
        if (e instanceof AuthenticationException || e instanceof ForbiddenOperationException) {
            return new FhirmigException(FhirmigException.Kind.SERVER,
                    "authentication failed at " + displayUrl + " while " + action + " (HTTP "
                            + ((BaseServerResponseException) e).getStatusCode() + ")", e);
        }
        if (e instanceof BaseServerResponseException response) {
            return new FhirmigException(FhirmigException.Kind.SERVER,
                    "the FHIR server at " + displayUrl + " answered HTTP " + response.getStatusCode()
                            + " while " + action + ": " + firstLine(response.getMessage()), e);
        }
        return new FhirmigException(FhirmigException.Kind.SERVER,
                "talking to the FHIR server at " + displayUrl + " failed while " + action + ": "
                        + firstLine(String.valueOf(e.getMessage())), e);
    }

    /**
     * Finds, anywhere in a chain of causes, a request to the FHIR server that met no answer: the server
     * could not be reached, the connection broke, or the answer was cut off. Whoever sent the request
     * (fhirmig, or a script through {@code fhir}), this is the server's problem, not the script's.
     *
     * @param e a failure, e.g. a script's, whose causes may hold HAPI's {@link FhirClientConnectionException}
     * @param displayUrl the server's URL without credentials
     * @return a {@code SERVER} error (exit 4) in one line, or {@code null} when {@code e} is no such failure
     */
    public static FhirmigException connectionFailure(Throwable e, String displayUrl) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FhirmigException fe && fe.kind() == FhirmigException.Kind.SERVER
                    && fe.getCause() instanceof FhirClientConnectionException) {
                return fe;
            }
            // HAPI's client and FhirHttp wrap every failed exchange so; an IOException alone may be a
            // script's own file or another server, and a parse failure without one is no lost connection.
            if (t instanceof FhirClientConnectionException && ioCause(t) != null) {
                return connectionProblem(t, displayUrl, "");
            }
        }
        return null;
    }

    private static FhirmigException connectionProblem(Throwable e, String displayUrl, String whileDoing) {
        FhirmigException tls = TlsProblems.failure(e, "FHIR server", displayUrl);
        if (tls != null) {
            return tls;
        }
        if (cutOff(e)) {
            return new FhirmigException(FhirmigException.Kind.SERVER,
                    "the FHIR server's answer was cut off" + whileDoing + " (" + displayUrl + ": " + shortCause(e)
                            + "); the connection broke before the whole answer arrived, run again", e);
        }
        return new FhirmigException(FhirmigException.Kind.SERVER,
                "cannot reach the FHIR server at " + displayUrl + whileDoing + ": " + shortCause(e), Remedy.CHECK_URL, e);
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /**
     * Whether the connection was made and an answer began, but it ended early: a Content-Length not
     * met, a chunk not finished, a compressed body that stops (HttpClient's and the JDK's words for it).
     */
    static boolean cutOff(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionClosedException || t instanceof MalformedChunkCodingException
                    || t instanceof EOFException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (t instanceof IOException && (message.contains("Premature end of")
                    || message.contains("Unexpected end of ZLIB input stream"))) {
                return true;
            }
        }
        return false;
    }

    private static String shortCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return firstLine(message);
    }

    /** The first line of a message that may hold a server's text, its control characters escaped and cut. */
    static String firstLine(String text) {
        return text == null ? "" : ServerText.clean(text.lines().findFirst().orElse("").trim(), 2 * ServerText.MAX);
    }
}
