package io.fhirmig.state;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/** Reads what a step needs from a transaction-response Bundle: the version its first entry was given. */
final class TransactionResponses {

    private static final JsonFactory JSON = new JsonFactory();

    private TransactionResponses() {}

    /**
     * The version id in the first entry's {@code response.location} ({@code Basic/12/_history/3}),
     * or its {@code etag} ({@code W/"3"}) when the location carries none.
     *
     * @param context the FHIR context, asked for only when the answer is not JSON
     * @return the version id, or {@code null} if the server gave neither
     */
    static String firstEntryVersion(Supplier<FhirContext> context, String response) {
        if (EncodingEnum.detectEncodingNoDefault(response) == EncodingEnum.JSON) {
            try {
                return fromJson(response);
            } catch (IOException | RuntimeException e) {
                // Not the JSON expected: let the FHIR parser read it, and fail as it would.
            }
        }
        Bundle bundle = EncodingEnum.detectEncoding(response).newParser(context.get()).parseResource(Bundle.class, response);
        Bundle.BundleEntryResponseComponent first = bundle.getEntryFirstRep().getResponse();
        return version(first.getLocation(), first.getEtag());
    }

    private static String fromJson(String response) throws IOException {
        try (JsonParser parser = JSON.createParser(response)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("entry".equals(field) && value == JsonToken.START_ARRAY) {
                    expect(parser.nextToken(), JsonToken.START_OBJECT);
                    return fromFirstEntry(parser);
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    private static String fromFirstEntry(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("response".equals(field) && value == JsonToken.START_OBJECT) {
                String location = null;
                String etag = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken token = parser.nextToken();
                    if ("location".equals(name) && token == JsonToken.VALUE_STRING) {
                        location = parser.getText();
                    } else if ("etag".equals(name) && token == JsonToken.VALUE_STRING) {
                        etag = parser.getText();
                    } else {
                        parser.skipChildren();
                    }
                }
                return version(location, etag);
            }
            parser.skipChildren();
        }
        return null;
    }

    private static String version(String location, String etag) {
        String version = location == null ? null : new IdType(location).getVersionIdPart();
        if (version == null && etag != null && !etag.isBlank()) {
            version = etag.replaceFirst("^W/", "").replace("\"", "");
        }
        return version;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
