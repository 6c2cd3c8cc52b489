package io.fhirmig.fhir;

import io.fhirmig.api.FhirmigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context for a private CA: trusts the certificates of a CA file as well as the system's trust
 * store, so that a token endpoint with a public certificate keeps working beside a FHIR server with a
 * private one.
 */
final class TrustedCertificates {

    private TrustedCertificates() {
    }

    static SSLContext withCaFile(Path caFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "CA file " + caFile
                    + (Files.exists(caFile) ? " cannot be read" : " does not exist"));
        } catch (GeneralSecurityException e) {
            throw notCertificates(caFile);
        }
        if (certificates.isEmpty()) {
            throw notCertificates(caFile);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-file-" + i++, certificate);
            }
            for (X509Certificate system : systemTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("system-" + i++, system);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the TLS context for " + caFile, e);
        }
    }

    private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    private static FhirmigException notCertificates(Path caFile) {
        return new FhirmigException(FhirmigException.Kind.USAGE, "CA file " + caFile
                + " holds no certificate: give the CA's certificate in PEM (-----BEGIN CERTIFICATE-----) or DER");
    }
}
