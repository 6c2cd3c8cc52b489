package io.fhirmig.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.ServerText;
import io.fhirmig.fhir.FhirIds;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two kinds of {@code Basic} resource that hold a namespace's state, exactly as DESIGN.md gives
 * them, read from and written to FHIR JSON text directly (earlier versions built them with HAPI's
 * model and parser; this writes the same fields, and reads what either wrote). This format is a
 * promise to users whose servers keep it: change it only with a reader for the old form, told apart
 * by {@link #FORMAT_URL}.
 */
final class StateResources {

    static final String CODE_SYSTEM = "urn:fhirmig";
    static final String STATE_SYSTEM = "urn:fhirmig:state";
    static final String STATE_CODE = "migration-state";
    static final String APPLIED_CODE = "applied-migration";
    static final String FORMAT_URL = "urn:fhirmig:format";
    static final String HEAD_URL = "urn:fhirmig:head";
    static final String LOCK_URL = "urn:fhirmig:lock";
    static final String APPLIED_URL = "urn:fhirmig:applied";
    static final int FORMAT = 1;
    /**
     * Inside an applied record adopted from the Python tool's state: the tool's resource id and its
     * {@code meta.lastUpdated}. Format 1 still: older readers ignore sub-extensions they do not know.
     */
    static final String ADOPTED_FROM = "adoptedFrom";
    static final String ADOPTED_LAST_UPDATED = "adoptedLastUpdated";

    private static final JsonFactory JSON = new JsonFactory();

    private StateResources() {}

    static String appliedSystem(String namespace) {
        return "urn:fhirmig:applied:" + namespace;
    }

    /** A resource found by a search, as a JSON object. */
    record Found(String id, String versionId, Map<String, Object> resource) {}

    /**
     * The resources of a search answer's entries and its next-page link.
     *
     * @param resources the entries' resources of the given type
     * @param next the absolute URL of the next page, or null on the last
     */
    record Page(List<Found> resources, String next) {}

    static Page page(String bundleJson, String resourceType) {
        Map<String, Object> bundle = object(parse(bundleJson));
        List<Found> found = new ArrayList<>();
        for (Object entry : list(bundle.get("entry"))) {
            Map<String, Object> resource = object(object(entry).get("resource"));
            if (resourceType.equals(resource.get("resourceType"))) {
                Map<String, Object> meta = object(resource.get("meta"));
                found.add(new Found(string(resource.get("id")), string(meta.get("versionId")), resource));
            }
        }
        String next = null;
        for (Object link : list(bundle.get("link"))) {
            if ("next".equals(object(link).get("relation"))) {
                next = string(object(link).get("url"));
            }
        }
        return new Page(found, next);
    }

    /** A search answer's {@code total}, or -1 when it gives none. */
    static int total(String bundleJson) {
        Object total = object(parse(bundleJson)).get("total");
        try {
            return total == null ? -1 : Integer.parseInt(total.toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether a text is a FHIR id ({@code [A-Za-z0-9\-\.]{1,64}}), safe in a URL path. */
    static boolean isFhirId(String text) {
        return FhirIds.valid(text);
    }

    /**
     * A field of a state resource that cannot be read: exit 4 in one line naming the resource and the
     * field, instead of a crash.
     */
    static FhirmigException malformed(String resource, String field, String problem) {
        return new FhirmigException(FhirmigException.Kind.SERVER, "the migration state on the server cannot be read: "
                + resource + " has " + field + " " + problem + "; nothing was changed. Correct or remove that resource on"
                + " the server (`fhirmig check` shows the state), then run again");
    }

    private static String quoted(String text) {
        return "'" + ServerText.clean(text, 80) + "'";
    }

    /** Checks the id and version of a state resource before either goes into a URL or a header. */
    static void checkIds(Found state) {
        if (state.id() == null) {
            throw malformed("a migration-state Basic resource", "no id", "(a server gives every resource one)");
        }
        if (!isFhirId(state.id())) {
            throw malformed("a migration-state Basic resource", "the id " + quoted(state.id()),
                    "that is not a FHIR id ([A-Za-z0-9-.]{1,64})");
        }
        if (state.versionId() != null && !isFhirId(state.versionId())) {
            throw malformed("Basic/" + state.id(), "meta.versionId " + quoted(state.versionId()),
                    "that is not a FHIR id ([A-Za-z0-9-.]{1,64})");
        }
    }

    static StateSnapshot readState(Found state) {
        checkIds(state);
        checkFormat(state);
        List<String> heads = new ArrayList<>();
        LockInfo lock = null;
        for (Object item : list(state.resource().get("extension"))) {
            Map<String, Object> extension = object(item);
            Object url = extension.get("url");
            if (HEAD_URL.equals(url)) {
                heads.add(primitive(extension));
            } else if (LOCK_URL.equals(url)) {
                // A lapse time that cannot be read is taken as never lapsing: reading it as the epoch
                // (as before) let any run override a lock that may well be held.
                Instant expiresAt = dateTime(extension, "expiresAt");
                lock = new LockInfo(string(extension, "owner"), string(extension, "step"),
                        expiresAt == null ? Instant.MAX : expiresAt, dateTime(extension, "ownerStarted"));
            }
        }
        return new StateSnapshot(heads.stream().sorted().toList(), lock, state.id(), state.versionId());
    }

    /**
     * What makes the state's lock unreadable (no owner, or a lapse time that is not a date), or null
     * when it is readable or there is none. Such a lock cannot be told apart from a live one.
     */
    static String lockProblem(Found state) {
        Map<String, Object> lock = extension(state.resource(), LOCK_URL);
        if (lock == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        String owner = string(lock, "owner");
        if (owner == null || owner.isBlank()) {
            problems.add("it names no owner");
        }
        if (dateTime(lock, "expiresAt") == null) {
            Map<String, Object> child = extension(lock, "expiresAt");
            String text = child == null ? null : primitive(child);
            problems.add(text == null ? "it has no expiresAt" : "its expiresAt " + quoted(text) + " is not a date");
        }
        return problems.isEmpty() ? null : String.join(" and ", problems);
    }

    /** A single resource's JSON text (a read or a version read), as a search would have found it. */
    static Found found(String resourceJson) {
        Map<String, Object> resource = object(parse(resourceJson));
        return new Found(string(resource.get("id")), string(object(resource.get("meta")).get("versionId")), resource);
    }

    private static void checkFormat(Found state) {
        Map<String, Object> format = extension(state.resource(), FORMAT_URL);
        String value = format == null ? null : primitive(format);
        int version;
        try {
            version = value == null ? FORMAT : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw malformed("Basic/" + state.id(), "the format extension (" + FORMAT_URL + ") " + quoted(value),
                    "that is not a whole number");
        }
        if (version > FORMAT) {
            throw new FhirmigException(FhirmigException.Kind.SERVER,
                    "the migration state on the server (Basic/" + state.id() + ") has format " + version
                            + ", written by a newer fhirmig; this one reads format " + FORMAT + " and older: upgrade fhirmig");
        }
    }

    static AppliedRecord readApplied(Map<String, Object> basic) {
        Map<String, Object> applied = extension(basic, APPLIED_URL);
        if (applied == null) {
            return null;
        }
        String id = string(basic.get("id"));
        String resource = "the applied record " + (isFhirId(id) ? "Basic/" + id : id == null ? "(no id)" : "Basic/" + quoted(id));
        String revision = string(applied, "revision");
        if (revision == null || revision.isBlank()) {
            throw malformed(resource, "no revision", "(extension revision of " + APPLIED_URL + ")");
        }
        String duration = string(applied, "durationMs");
        long durationMs;
        try {
            durationMs = duration == null ? 0 : Long.parseLong(duration.trim());
        } catch (NumberFormatException e) {
            durationMs = -1;
        }
        if (durationMs < 0) {
            throw malformed(resource + " (revision " + quoted(revision) + ")", "durationMs " + quoted(duration),
                    "that is not a whole number of milliseconds");
        }
        Map<String, Object> appliedAt = extension(applied, "appliedAt");
        if (appliedAt != null && primitive(appliedAt) != null && dateTime(applied, "appliedAt") == null) {
            throw malformed(resource + " (revision " + quoted(revision) + ")", "appliedAt " + quoted(primitive(appliedAt)),
                    "that is not a date");
        }
        return new AppliedRecord(revision, string(applied, "checksum"), string(applied, "file"),
                instant(applied, "appliedAt"), string(applied, "appliedBy"), durationMs,
                string(applied, ADOPTED_FROM), dateTime(applied, ADOPTED_LAST_UPDATED));
    }

    /** Writes the state resource: identifier, code, format, heads and lock (ids and versions are the server's). */
    static void writeState(JsonGenerator out, String id, String namespace, List<String> heads, LockInfo lock)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("resourceType", "Basic");
        if (id != null) {
            out.writeStringField("id", id);
        }
        out.writeArrayFieldStart("extension");
        out.writeStartObject();
        out.writeStringField("url", FORMAT_URL);
        out.writeNumberField("valueInteger", FORMAT);
        out.writeEndObject();
        for (String head : heads) {
            stringExtension(out, HEAD_URL, head);
        }
        if (lock != null) {
            out.writeStartObject();
            out.writeStringField("url", LOCK_URL);
            out.writeArrayFieldStart("extension");
            stringExtension(out, "owner", lock.owner());
            stringExtension(out, "step", lock.step());
            dateTimeExtension(out, "expiresAt", lock.expiresAt());
            if (lock.ownerStarted() != null) {
                dateTimeExtension(out, "ownerStarted", lock.ownerStarted());
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        out.writeEndArray();
        identifierAndCode(out, STATE_SYSTEM, namespace, STATE_CODE);
        out.writeEndObject();
    }

    /** Writes an applied record: identifier, code and the record's fields. */
    static void writeApplied(JsonGenerator out, String namespace, AppliedRecord record) throws IOException {
        out.writeStartObject();
        out.writeStringField("resourceType", "Basic");
        out.writeArrayFieldStart("extension");
        out.writeStartObject();
        out.writeStringField("url", APPLIED_URL);
        out.writeArrayFieldStart("extension");
        stringExtension(out, "revision", record.revision());
        stringExtension(out, "checksum", record.checksum());
        stringExtension(out, "file", record.file());
        dateTimeExtension(out, "appliedAt", record.appliedAt());
        stringExtension(out, "appliedBy", record.appliedBy());
        out.writeStartObject();
        out.writeStringField("url", "durationMs");
        out.writeNumberField("valueInteger", Math.toIntExact(Math.min(record.durationMs(), Integer.MAX_VALUE)));
        out.writeEndObject();
        // Only on an adopted record: sub-extensions that older readers pass over.
        if (record.adoptedFrom() != null) {
            stringExtension(out, ADOPTED_FROM, record.adoptedFrom());
            if (record.adoptedLastUpdated() != null) {
                dateTimeExtension(out, ADOPTED_LAST_UPDATED, record.adoptedLastUpdated());
            }
        }
        out.writeEndArray();
        out.writeEndObject();
        out.writeEndArray();
        identifierAndCode(out, appliedSystem(namespace), record.revision(), APPLIED_CODE);
        out.writeEndObject();
    }

    /** Writes JSON text with a generator, e.g. a whole transaction Bundle. */
    static String write(JsonWriter writer) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Copies the entries of a Bundle's JSON text (e.g. one HAPI encoded) into a generator's entry array. */
    static void copyEntries(String bundleJson, JsonGenerator out) throws IOException {
        try (JsonParser in = JSON.createParser(bundleJson)) {
            in.nextToken();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                in.nextToken();
                if ("entry".equals(field)) {
                    while (in.nextToken() != JsonToken.END_ARRAY) {
                        out.copyCurrentStructure(in);
                    }
                } else {
                    in.skipChildren();
                }
            }
        }
    }

    @FunctionalInterface
    interface JsonWriter {
        void write(JsonGenerator out) throws IOException;
    }

    private static void identifierAndCode(JsonGenerator out, String system, String value, String code) throws IOException {
        out.writeArrayFieldStart("identifier");
        out.writeStartObject();
        out.writeStringField("system", system);
        out.writeStringField("value", value);
        out.writeEndObject();
        out.writeEndArray();
        out.writeObjectFieldStart("code");
        out.writeArrayFieldStart("coding");
        out.writeStartObject();
        out.writeStringField("system", CODE_SYSTEM);
        out.writeStringField("code", code);
        out.writeEndObject();
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void stringExtension(JsonGenerator out, String url, String value) throws IOException {
        out.writeStartObject();
        out.writeStringField("url", url);
        if (value != null) {
            out.writeStringField("valueString", value);
        }
        out.writeEndObject();
    }

    private static void dateTimeExtension(JsonGenerator out, String url, Instant value) throws IOException {
        out.writeStartObject();
        out.writeStringField("url", url);
        out.writeStringField("valueDateTime", dateTime(value));
        out.writeEndObject();
    }

    /**
     * As HAPI writes a dateTime of millisecond precision in UTC ({@code 2026-11-25T10:10:00.250Z});
     * put together by hand, since a pattern formatter took a tenth of a step's JSON.
     */
    static String dateTime(Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(24);
        digits(text, time.getYear(), 4).append('-');
        digits(text, time.getMonthValue(), 2).append('-');
        digits(text, time.getDayOfMonth(), 2).append('T');
        digits(text, time.getHour(), 2).append(':');
        digits(text, time.getMinute(), 2).append(':');
        digits(text, time.getSecond(), 2).append('.');
        return digits(text, instant.getNano() / 1_000_000, 3).append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder text, int value, int width) {
        String number = Integer.toString(value);
        for (int i = number.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(number);
    }

    private static Map<String, Object> extension(Map<String, Object> parent, String url) {
        for (Object item : list(parent.get("extension"))) {
            if (url.equals(object(item).get("url"))) {
                return object(item);
            }
        }
        return null;
    }

    /** The value of an extension of any primitive type, as its text ({@code primitiveValue()}). */
    private static String primitive(Map<String, Object> extension) {
        for (Map.Entry<String, Object> field : extension.entrySet()) {
            if (field.getKey().startsWith("value") && !(field.getValue() instanceof Map) && !(field.getValue() instanceof List)) {
                return string(field.getValue());
            }
        }
        return null;
    }

    private static String string(Map<String, Object> parent, String url) {
        Map<String, Object> child = extension(parent, url);
        return child == null ? null : primitive(child);
    }

    /** A dateTime child, or the epoch when it is missing, as HAPI's reading gave. */
    private static Instant instant(Map<String, Object> parent, String url) {
        Instant instant = dateTime(parent, url);
        return instant == null ? Instant.EPOCH : instant;
    }

    /** A dateTime child, or null when it is missing or not a date. */
    private static Instant dateTime(Map<String, Object> parent, String url) {
        Map<String, Object> child = extension(parent, url);
        Object value = child == null ? null : child.get("valueDateTime");
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : List.of();
    }

    private static Object parse(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            return value(parser);
        } catch (IOException e) {
            throw new FhirmigException(FhirmigException.Kind.SERVER,
                    "the FHIR server's answer is not the JSON expected: " + e.getMessage(), e);
        }
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Object> object = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                object.put(name, value(parser));
            }
            return object;
        }
        if (token == JsonToken.START_ARRAY) {
            List<Object> array = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(value(parser));
            }
            return array;
        }
        if (token == null) {
            throw new IOException("empty answer");
        }
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            // Numbers as their text: a version, a count or a duration, read back as text anyway.
            default -> parser.getText();
        };
    }
}
