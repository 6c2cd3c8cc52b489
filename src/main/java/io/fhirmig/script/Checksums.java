package io.fhirmig.script;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checksums of migration scripts, which tell an edited script from the one that was applied.
 *
 * <p>The text is normalised first: a leading byte order mark is dropped and CRLF becomes LF, so
 * that an editor or a Git setting that only changes line endings does not count as an edit.
 */
public final class Checksums {

    private static final String PREFIX = "sha256:";
    private static final char BOM = '\uFEFF';
    private static final MessageDigest PROTOTYPE = newSha256();

    private Checksums() {}

    /**
     * Returns {@code "sha256:"} followed by the lower-case hex SHA-256 of the normalised text.
     *
     * @param text the script's text, as read from its file
     * @return the checksum, e.g. {@code sha256:9f86d0...}
     */
    public static String of(String text) {
        byte[] bytes = normalize(text).getBytes(StandardCharsets.UTF_8);
        return PREFIX + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /**
     * Returns the text without a leading byte order mark and with CRLF turned into LF; this is the
     * text that is checksummed and the text that runs.
     *
     * @param text a script's text
     * @return the normalised text
     */
    public static String normalize(String text) {
        String withoutBom = !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
        return withoutBom.replace("\r\n", "\n");
    }

    /** {@return a new SHA-256 digest: every hash fhirmig keeps (checksums, cache keys) is one} */
    public static MessageDigest sha256() {
        // A copy of one digest costs a fraction of a look-up of the provider, which for thousands of
        // scripts was most of their checksums' time. The prototype is never updated, so copies of it
        // made on any thread are new digests.
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            // A provider whose digests cannot be copied: look one up each time.
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256, so this cannot happen.
            throw new IllegalStateException(e);
        }
    }
}
