package io.fhirmig.run;

import java.util.Map;

/**
 * Writes an audit event's fields as one line of JSON, the same text Groovy's {@code JsonOutput}
 * wrote for them before (so existing readers of {@code audit.log} see no change): strings with
 * everything outside printable ASCII escaped as {@code \}{@code uXXXX}, numbers and booleans bare,
 * an enum as its name, lists and maps nested. A run writes two events a step; {@code JsonOutput}
 * looked up a converter and the type of every value, a tenth of a millisecond per event.
 */
final class AuditJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AuditJson() {}

    /** {@return the fields as a JSON object, in their map's order} */
    static String of(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder(256);
        writeValue(out, fields);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence text) {
            writeString(out, text);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof Number number) {
            writeNumber(out, number);
        } else if (value instanceof Enum<?> constant) {
            writeString(out, constant.name());
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map);
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeValue(out, item);
            }
            out.append(']');
        } else {
            writeString(out, value.toString());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, String.valueOf(entry.getKey()));
            out.append(':');
            writeValue(out, entry.getValue());
        }
        out.append('}');
    }

    private static void writeNumber(StringBuilder out, Number number) {
        double value = number.doubleValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            // JSON has no such numbers; a string keeps the line readable.
            writeString(out, number.toString());
        } else {
            out.append(number);
        }
    }

    private static void writeString(StringBuilder out, CharSequence text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
