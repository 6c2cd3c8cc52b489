package io.fhirmig.generate;

/** Groovy source literals for values that go into a generated script. */
final class GroovyLiterals {

    private GroovyLiterals() {}

    /**
     * A single-quoted Groovy string literal of the text: no {@code $} is interpolated in it, and
     * quotes, backslashes and line breaks are escaped, so no text can end the literal early.
     *
     * @param text any text
     * @return the literal, quotes included
     */
    static String string(String text) {
        StringBuilder literal = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> literal.append("\\\\");
                case '\'' -> literal.append("\\'");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        literal.append(String.format("\\u%04x", (int) c));
                    } else {
                        literal.append(c);
                    }
                }
            }
        }
        return literal.append('\'').toString();
    }
}
