package io.fhirmig.fhir;

import io.fhirmig.api.ServerText;
import io.fhirmig.fhir.net.Urls;
import io.fhirmig.api.FhirmigException;
import java.util.regex.Pattern;

/**
 * FHIR's id syntax ({@code [A-Za-z0-9\-\.]{1,64}}): what an id read from a server must be before it goes
 * into a URL (a PUT or DELETE path, a transaction entry), so that an id such as {@code ../Patient/x}
 * cannot point a write at another resource.
 */
public final class FhirIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private FhirIds() {
    }

    /** Whether a text is a FHIR id. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * @return {@code type/id}
     * @throws FhirmigException (exit 4) naming the resource type and the id, cleaned, when it is no FHIR id
     */
    public static String reference(String type, String id, String serverBase) {
        if (!valid(id)) {
            throw new FhirmigException(FhirmigException.Kind.SERVER, "the FHIR server at "
                    + Urls.withoutCredentials(serverBase) + " answered with a " + type + " whose id "
                    + (id == null ? "is missing" : "'" + ServerText.clean(id, 80) + "' is not a FHIR id ([A-Za-z0-9-.]{1,64})")
                    + "; nothing is written for it");
        }
        return type + "/" + id;
    }
}
