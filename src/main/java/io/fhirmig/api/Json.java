package io.fhirmig.api;

import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Optional;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON of fhirmig's results and audit lines, written with Jackson's streaming writer: the command
 * line's {@code --json} is {@link #pretty} of a result record, so that the library and the command
 * line cannot drift; an audit event is {@link #line}, ASCII only (everything else escaped as
 * {@code \}{@code uXXXX}, so a line survives any log shipper's encoding).
 *
 * <p>A record is an object of its components, in their order; a map an object, in its order; an
 * iterable an array; an {@code Optional} its value or null; numbers and booleans are bare; an enum
 * is its name in lower case; anything else (an {@code Instant}, a {@code Duration}, a {@code Path})
 * its {@code toString()}, ISO-8601 for times.
 */
public final class Json {

    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private Json() {}

    /**
     * {@return the fields as a JSON object on one line, in their map's order}
     *
     * @param fields the fields
     */
    public static String line(Map<String, ?> fields) {
        return write(fields, false);
    }

    /**
     * {@return the value as indented JSON, for people to read and tools to parse}
     *
     * @param value a result record, a map, a list or a plain value
     */
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

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
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
            out.writeString(constant.name().toLowerCase(Locale.ROOT));
        } else if (value instanceof Optional<?> optional) {
            write(out, optional.orElse(null));
        } else if (value instanceof Record record) {
            out.writeStartObject();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                out.writeFieldName(component.getName());
                write(out, read(component, record));
            }
            out.writeEndObject();
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.writeFieldName(String.valueOf(entry.getKey()));
                write(out, entry.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof java.nio.file.Path path) {
            // A path is iterable (its names): written as the path it is.
            out.writeString(path.toString());
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
