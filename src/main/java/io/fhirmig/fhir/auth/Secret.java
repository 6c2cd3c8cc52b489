package io.fhirmig.fhir.auth;

import io.fhirmig.api.FhirmigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * A secret kept in a file of its own (trailing line breaks dropped).
     *
     * @param what what it is, for the error: "token", "client secret"...
     * @throws FhirmigException (usage) when the file is missing, unreadable or empty
     */
    public static Secret readFile(Path file, String what) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FhirmigException(FhirmigException.Kind.USAGE,
                    what + " file " + file + (Files.exists(file) ? " cannot be read" : " does not exist"));
        }
        String value = text.replaceAll("[\\r\\n]+$", "");
        if (value.isBlank()) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, what + " file " + file + " is empty");
        }
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
