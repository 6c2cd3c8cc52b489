package io.fhirmig.fhir;

import io.fhirmig.api.ServerText;
import io.fhirmig.fhir.net.Urls;
import java.net.URI;
import java.util.Locale;

/**
 * Origins (scheme, host, port) of URLs: fhirmig sends credentials and extra headers only to the
 * configured server's origin and to the token endpoint's own; a redirect or a {@code next} link to any
 * other origin (https to http included) is refused.
 */
public final class Origins {

    private Origins() {
    }

    /**
     * {@code scheme://host:port} in lower case with the scheme's default port made explicit, or null when
     * the URL is not an absolute http(s) URL.
     */
    public static String of(String url) {
        try {
            return of(new URI(url.trim()));
        } catch (Exception e) {
            return null;
        }
    }

    static String of(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            return null;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    static String of(String scheme, String host, int port) {
        String s = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
        return s + "://" + host.toLowerCase(Locale.ROOT) + ":" + (port != -1 ? port : "https".equals(s) ? 443 : 80);
    }

    /**
     * Checks a search's {@code next} link before it is followed: a relative link is the server's own, an
     * absolute one must be of the server's origin.
     *
     * @param next the link's URL
     * @param baseUrl the configured FHIR base URL
     * @throws CrossOriginException naming both URLs when the link leads elsewhere
     */
    public static void checkNext(String next, String baseUrl) {
        if (next == null) {
            return;
        }
        URI uri;
        try {
            uri = new URI(next.trim());
        } catch (Exception e) {
            throw new CrossOriginException("the FHIR server at " + Urls.withoutCredentials(baseUrl)
                    + " gave a next-page link that is not a URL ('" + ServerText.clean(Urls.withoutCredentials(next))
                    + "'); it was not followed");
        }
        if (!uri.isAbsolute()) {
            return;
        }
        String origin = of(uri);
        if (origin == null || !origin.equals(of(baseUrl))) {
            throw new CrossOriginException("the FHIR server at " + Urls.withoutCredentials(baseUrl)
                    + " gave a next-page link to another origin, " + ServerText.clean(Urls.withoutCredentials(next))
                    + "; fhirmig sends its credentials only to " + of(baseUrl) + ", so it did not follow it. Set the"
                    + " server's public base URL (HAPI: server address) to the URL fhirmig uses, or use that URL");
        }
    }
}
