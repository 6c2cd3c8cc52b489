package io.fhirmig.fhir;

import io.fhirmig.api.FhirmigException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Extra request headers (a tenant header, say), in the order given; a later one replaces an earlier
 * one of the same name, as HTTP names are case-insensitive. {@code Authorization} is not one of them:
 * it comes from the authentication settings.
 */
public final class ExtraHeaders {

    private static final String TOKEN_CHARS = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();

    /**
     * Adds a header, replacing one of the same name.
     *
     * @param source where it came from, for the error (e.g. "--header")
     * @throws FhirmigException (usage) for a name that is no HTTP token, {@code Authorization}, or a
     *     value of more than one line
     */
    public ExtraHeaders put(String name, String value, String source) {
        if (name == null || !name.matches(TOKEN_CHARS)) {
            throw usage(source + ": '" + name + "' is not a valid header name");
        }
        if (name.equalsIgnoreCase("Authorization")) {
            throw usage(source + ": the Authorization header comes from the authentication settings (FHIRMIG_TOKEN,"
                    + " FHIRMIG_USER, FHIRMIG_TOKEN_URL...), not from extra headers");
        }
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw usage(source + ": the value of header " + name + " must be one line");
        }
        String previous = names.put(name.toLowerCase(Locale.ROOT), name);
        if (previous != null) {
            headers.remove(previous);
        }
        headers.put(name, value);
        return this;
    }

    /** The headers, in order. */
    public Map<String, String> asMap() {
        return new LinkedHashMap<>(headers);
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
