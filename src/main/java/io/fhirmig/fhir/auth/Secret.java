package io.fhirmig.fhir.auth;

import java.util.Objects;

/**
 * A token, password or client secret. Its {@link #toString()} never shows the value, so a record or
 * message that holds one by mistake prints {@code [hidden]} instead; only the code that sends it
 * calls {@link #reveal()}.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value);
    }

    /** The value, for the request that needs it; never for a message or a log line. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "[hidden]";
    }
}
