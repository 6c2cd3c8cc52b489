package io.fhirmig.fhir;

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
     * @return the message, or {@code null} when {@code e} is no TLS problem
     */
    public static String describe(Throwable e, String what, String displayUrl) {
        boolean tls = false;
        // Checked first: the PKIX failure that wraps an expired certificate reads like an unknown CA.
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "the " + what + "'s certificate at " + displayUrl + " has expired (" + ServerErrors.firstLine(
                        t.getMessage()) + "): the server needs a renewed certificate; check this machine's clock too";
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return "the " + what + "'s certificate at " + displayUrl + " is not valid yet: check this machine's"
                        + " clock, and the certificate's start date";
            }
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertificateException
                    && String.valueOf(t.getMessage()).contains("PKIX")) {
                return "the " + what + "'s certificate at " + displayUrl + " is not trusted (no trusted CA signed it):"
                        + " give the certificate of its CA with --ca-file FILE (FHIRMIG_CA_FILE)";
            }
            if (t instanceof SSLPeerUnverifiedException) {
                return "the " + what + "'s certificate at " + displayUrl + " is not for that host name ("
                        + ServerErrors.firstLine(t.getMessage()) + "): use the host name the certificate names";
            }
            tls |= t instanceof SSLException;
        }
        if (tls) {
            return "a secure (TLS) connection to the " + what + " at " + displayUrl + " could not be made: "
                    + ServerErrors.firstLine(rootMessage(e));
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
}
