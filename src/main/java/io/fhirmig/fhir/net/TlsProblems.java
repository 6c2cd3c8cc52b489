package io.fhirmig.fhir.net;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Says in one line why a TLS connection failed, and what to do about it. */
public final class TlsProblems {

    private TlsProblems() {
    }

    /**
     * @param what "FHIR server" or "token endpoint"
     * @return the failure (exit 4), or {@code null} when {@code e} is no TLS problem
     */
    public static FhirmigException failure(Throwable e, String what, String displayUrl) {
        boolean tls = false;
        // Checked first: the PKIX failure that wraps an expired certificate reads like an unknown CA.
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return new FhirmigException(FhirmigException.Kind.SERVER, "the " + what + "'s certificate at "
                        + displayUrl + " has expired (" + firstLine(t.getMessage())
                        + "): the server needs a renewed certificate; check this machine's clock too", e);
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return new FhirmigException(FhirmigException.Kind.SERVER, "the " + what + "'s certificate at "
                        + displayUrl + " is not valid yet: check this machine's clock, and the certificate's start date", e);
            }
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertificateException
                    && String.valueOf(t.getMessage()).contains("PKIX")) {
                return new FhirmigException(FhirmigException.Kind.SERVER, "the " + what + "'s certificate at "
                        + displayUrl + " is not trusted (no trusted CA signed it)", Remedy.TRUST_CA, e);
            }
            if (t instanceof SSLPeerUnverifiedException) {
                return new FhirmigException(FhirmigException.Kind.SERVER, "the " + what + "'s certificate at "
                        + displayUrl + " is not for that host name (" + firstLine(t.getMessage())
                        + "): use the host name the certificate names", e);
            }
            tls |= t instanceof SSLException;
        }
        if (tls) {
            return new FhirmigException(FhirmigException.Kind.SERVER, "a secure (TLS) connection to the " + what
                    + " at " + displayUrl + " could not be made: " + firstLine(rootMessage(e)), e);
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").trim();
    }
}
