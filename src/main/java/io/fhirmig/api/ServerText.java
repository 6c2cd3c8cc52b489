package io.fhirmig.api;

/**
 * Text that came from a server (an OperationOutcome's diagnostics, a reason phrase, a lock owner), made
 * safe to print on a terminal: control characters (escape sequences that clear the screen, set
 * colours or the window title, or forge lines) become visible escapes such as {@code \e}, and the text
 * is cut to a sane length. {@code --json} and the audit log escape such text as JSON does.
 */
public final class ServerText {

    /** The longest piece of server text shown in one message. */
    public static final int MAX = 300;

    private ServerText() {
    }

    /**
     * Control characters escaped, cut to {@link #MAX} characters.
     *
     * @param text the server's text
     * @return the text to show; null for null
     */
    public static String clean(String text) {
        return clean(text, MAX);
    }

    /**
     * Control characters escaped, cut to {@code max} characters.
     *
     * @param text the server's text
     * @param max the longest text shown
     * @return the text to show; null for null
     */
    public static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        String cut = text;
        if (text.length() > max) {
            cut = text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
        }
        String escaped = escapeControls(cut);
        return cut.length() < text.length() ? escaped + "... (" + (text.length() - cut.length()) + " more characters)"
                : escaped;
    }

    /**
     * A list read from a server (heads, say) for a message: its first {@code max} items, each cleaned,
     * then how many more there are, so that 200,000 heads do not make a line of megabytes.
     *
     * @param items the items
     * @param max how many to show
     * @return the items to show, comma-separated
     */
    public static String list(java.util.Collection<String> items, int max) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (String item : items) {
            if (shown == max) {
                return text.append(" and ").append(items.size() - max).append(" more").toString();
            }
            if (shown++ > 0) {
                text.append(", ");
            }
            text.append(clean(item, 80));
        }
        return text.toString();
    }

    /**
     * Every control character (C0, DEL, C1) and every bidirectional override made visible; nothing cut.
     * Line breaks are escaped too: a message is one line.
     *
     * @param text the text
     * @return the text with its controls escaped; null for null
     */
    public static String escapeControls(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(char c) {
        if (c >= 0x20 && c < 0x7f || c > 0x9f && !bidi(c)) {
            return null;
        }
        return switch (c) {
            case 0x1b -> "\\e";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 0x07 -> "\\a";
            case 0x08 -> "\\b";
            default -> c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
        };
    }

    private static boolean bidi(char c) {
        return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f;
    }
}
