package io.fhirmig.fhir;

import io.fhirmig.api.FhirmigException;

/**
 * The FHIR server pointed fhirmig at another origin (a redirect, a search's {@code next} link), where
 * its credentials must not go; nothing was sent there (exit 4). The message names both URLs, without
 * user-info.
 */
public final class CrossOriginException extends FhirmigException {

    public CrossOriginException(String message) {
        super(Kind.SERVER, message);
    }
}
