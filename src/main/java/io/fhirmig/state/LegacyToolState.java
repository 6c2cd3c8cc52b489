package io.fhirmig.state;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.fhir.ServerErrors;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state that the Python tool fhirmig descends from kept on the server: one {@code Basic} with
 * identifier {@code http://fhir.migration.system|MIGRATION_RESOURCE_ID} and the last revision it
 * applied in {@code Basic.code.coding[0].code}. fhirmig only reads it, never changes it, so that a
 * team can still go back to the tool.
 */
public final class LegacyToolState {

    /** The identifier system of the tool's resource. */
    public static final String SYSTEM = "http://fhir.migration.system";
    /** The identifier value the tool uses when {@code MIGRATION_RESOURCE_ID} is not set. */
    public static final String DEFAULT_RESOURCE_ID = "e61c4580-2493-417f-a26c-26faa8eb70ba";

    private final StateTransport transport;
    private final String displayUrl;
    private final String identifierValue;

    /**
     * @param connection the server
     * @param identifierValue the tool's {@code MIGRATION_RESOURCE_ID}; null or blank for its default
     */
    public LegacyToolState(FhirConnection connection, String identifierValue) {
        this.transport = StateTransport.of(connection);
        this.displayUrl = connection.displayUrl();
        this.identifierValue = identifierValue == null || identifierValue.isBlank()
                ? DEFAULT_RESOURCE_ID : identifierValue.trim();
    }

    /**
     * What the tool recorded.
     *
     * @param resourceId the id the server gave the tool's {@code Basic}
     * @param identifier the identifier it was found by ({@code http://fhir.migration.system|VALUE})
     * @param revision the revision in {@code code.coding[0].code}, or null when it has none
     * @param lastUpdated its {@code meta.lastUpdated}: when the tool last recorded a revision; or null
     */
    public record Recorded(String resourceId, String identifier, String revision, Instant lastUpdated) {
    }

    /** {@return the identifier searched for, {@code http://fhir.migration.system|VALUE}} */
    public String identifier() {
        return SYSTEM + "|" + identifierValue;
    }

    /**
     * Looks the tool's resource up: one identifier search, not served from the server's search cache.
     *
     * @return what it recorded, or empty when the server has no such resource
     * @throws FhirmigException SERVER when the server cannot be read, or holds several such resources
     */
    public Optional<Recorded> read() {
        List<StateResources.Found> found;
        try {
            found = StateResources.page(transport.searchFirstPageOnly("Basic?identifier="
                    + URLEncoder.encode(identifier(), StandardCharsets.UTF_8)), "Basic").resources();
        } catch (RuntimeException e) {
            throw ServerErrors.translate(e, displayUrl, "looking for the Python tool's migration state");
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            throw new FhirmigException(FhirmigException.Kind.SERVER, "the FHIR server at " + displayUrl + " has "
                    + found.size() + " resources with the Python tool's identifier " + identifier() + " ("
                    + String.join(", ", found.stream().map(f -> "Basic/" + f.id()).toList())
                    + "), so which revision the tool recorded is not known; nothing was changed. Keep the one"
                    + " the tool used and delete the others by id on the server, then run again");
        }
        Map<String, Object> basic = found.get(0).resource();
        return Optional.of(new Recorded(found.get(0).id(), identifier(), code(basic), lastUpdated(basic)));
    }

    /** {@code Basic.code.coding[0].code}, or null. */
    private static String code(Map<String, Object> basic) {
        List<Object> codings = StateResources.list(StateResources.object(basic.get("code")).get("coding"));
        if (codings.isEmpty()) {
            return null;
        }
        Object code = StateResources.object(codings.get(0)).get("code");
        return code == null || code.toString().isBlank() ? null : code.toString().trim();
    }

    private static Instant lastUpdated(Map<String, Object> basic) {
        Object value = StateResources.object(basic.get("meta")).get("lastUpdated");
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.toString()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
