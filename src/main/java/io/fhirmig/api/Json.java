package io.fhirmig.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes maps, lists and plain values as JSON with Jackson's streaming writer: an audit event as one
 * line, ASCII only (everything else escaped as {@code \}{@code uXXXX}, so a line survives any log
 * shipper's encoding); the command line's {@code --json} output indented. Numbers and booleans are
 * bare, an enum is its name, anything else its {@code toString()}.
 */
public final class JsonText {

    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private JsonText() {}

    /** {@return the fields as a JSON object on one line, in their map's order} */
    public static String line(Map<String, ?> fields) {
        return write(fields, false);
    }

    /** {@return the value as indented JSON, for people to read and tools to parse} */
    public static String pretty(Object value) {
        return write(value, true);
    }

    private static String write(Object value, boolean indented) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            if (indented) {
                out.useDefaultPrettyPrinter();
            }
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof CharSequence text) {
            out.writeString(text.toString());
        } else if (value instanceof Boolean flag) {
            out.writeBoolean(flag);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number number) {
            out.writeNumber(number.toString());
        } else if (value instanceof Enum<?> constant) {
            out.writeString(constant.name());
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.writeFieldName(String.valueOf(entry.getKey()));
                write(out, entry.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof Iterable<?> items) {
            out.writeStartArray();
            for (Object item : items) {
                write(out, item);
            }
            out.writeEndArray();
        } else {
            out.writeString(value.toString());
        }
    }
}
