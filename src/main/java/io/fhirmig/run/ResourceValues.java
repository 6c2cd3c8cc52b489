package io.fhirmig.run;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;

/**
 * A resource as verify and a dry run compare it: every leaf of its JSON by path ({@code extension[0].url} ->
 * {@code "http://..."}), without what the server sets on every write: the id (the snapshot's key
 * holds it), {@code meta.versionId}, {@code meta.lastUpdated}, and the request id HAPI appends to
 * {@code meta.source} ({@code #...}).
 */
public final class ResourceValues {

    private static final JsonFactory JSON = new JsonFactory();

    private final IParser parser;

    public ResourceValues(FhirContext context) {
        this.parser = context.newJsonParser();
    }

    /** {@return the resource's values by path, in document order} */
    public Map<String, String> of(Resource resource) {
        Resource copy = resource.copy();
        copy.setIdElement(null);
        if (copy.hasMeta()) {
            Meta meta = copy.getMeta();
            meta.setVersionId(null);
            meta.setLastUpdatedElement(null);
            if (meta.hasSource()) {
                String source = meta.getSource();
                int requestId = source.indexOf('#');
                meta.setSource(requestId < 0 ? source : requestId == 0 ? null : source.substring(0, requestId));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        try (JsonParser json = JSON.createParser(parser.encodeResourceToString(copy))) {
            json.nextToken();
            flatten(json, "", values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.remove("resourceType");
        return values;
    }

    /** One value that differs: its path, and its JSON text before and after (null where absent). */
    public record Change(String path, String before, String after) {
    }

    /** {@return the values that differ between two resources' values, in the order of their paths} */
    public static List<Change> changes(Map<String, String> before, Map<String, String> after) {
        Set<String> paths = new LinkedHashSet<>(before.keySet());
        paths.addAll(after.keySet());
        List<Change> changes = new ArrayList<>();
        for (String path : paths) {
            String was = before.get(path);
            String is = after.get(path);
            if (!Objects.equals(was, is)) {
                changes.add(new Change(path, was, is));
            }
        }
        return changes;
    }

    /** Reads the value at the parser's current token, and everything in it, into {@code values}. */
    private static void flatten(JsonParser json, String path, Map<String, String> values) throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                flatten(json, path.isEmpty() ? name : path + "." + name, values);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            while (json.nextToken() != JsonToken.END_ARRAY) {
                flatten(json, path + "[" + index++ + "]", values);
            }
        } else if (token == JsonToken.VALUE_STRING) {
            values.put(path, quote(json.getText()));
        } else {
            values.put(path, json.getText());
        }
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
