package io.fhirmig.fhir.net;

/** URL helpers; a URL shown to a user or written to a log never carries credentials. */
public final class Urls {

    private Urls() {
    }

    /**
     * {@code https://user:secret@host/fhir} becomes {@code https://host/fhir}. The user-info ends at the
     * last {@code @} before the path, so a password with an {@code @} in it is removed whole.
     */
    public static String withoutCredentials(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1");
    }
}
