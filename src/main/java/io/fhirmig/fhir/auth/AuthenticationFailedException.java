package io.fhirmig.fhir.auth;

import io.fhirmig.api.FhirmigException;

/**
 * The server or its token endpoint refused fhirmig's credentials (exit 4). Its message names the
 * method tried and the URL without user-info, never a secret.
 */
public final class AuthenticationFailedException extends FhirmigException {

    public AuthenticationFailedException(String message) {
        super(Kind.SERVER, message);
    }
}
