package io.fhirmig.fhir;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import io.fhirmig.FhirmigException;

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
            String tls = TlsProblems.describe(e, "FHIR server", displayUrl);
            if (tls != null) {
                return new FhirmigException(FhirmigException.Kind.SERVER, tls, e);
            }
            return new FhirmigException(FhirmigException.Kind.SERVER,
                    "cannot reach the FHIR server at " + displayUrl + " while " + action + ": "
                            + shortCause(e) + "; check --url / FHIRMIG_URL and that the server is running", e);
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

    private static String shortCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return firstLine(message);
    }

    static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").trim();
    }
}
