package io.fhirmig.script;

/**
 * A 128-bit key naming what a local cache file holds (which scripts, which server), built from
 * text. Not a checksum: nothing outside this machine's cache ever sees it, and it only has to tell
 * different inputs apart by accident, never against someone crafting them (who could as well edit
 * the scripts). SHA-256 did this job before; its provider's start (the security providers, a JFR
 * event class outside the start-up archive) cost a short command more than all its hashing.
 *
 * <p>The mixing is MurmurHash3's (x64, 128 bits): two 64-bit lanes, each block of 64 bits
 * multiplied, rotated and folded into both, and a final avalanche, here over UTF-16 code units
 * packed four to a block. {@link #add(CharSequence)} ends each text with its length, so ("ab", "c")
 * and ("a", "bc") differ.
 */
public final class CacheKey {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private long h1 = 0x6a09e667f3bcc908L;
    private long h2 = 0xbb67ae8584caa73bL;
    private long block;
    private int charsInBlock;
    private long blocks;

    /** Adds a text, then its length. */
    public CacheKey add(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            addUnit(text.charAt(i));
        }
        return addLong(text.length());
    }

    /** Adds a number. */
    public CacheKey addLong(long value) {
        addUnit((char) value);
        addUnit((char) (value >>> 16));
        addUnit((char) (value >>> 32));
        addUnit((char) (value >>> 48));
        return this;
    }

    private void addUnit(char unit) {
        block |= (long) unit << (16 * charsInBlock);
        if (++charsInBlock == 4) {
            mixBlock(block);
            block = 0;
            charsInBlock = 0;
        }
    }

    private void mixBlock(long k) {
        // Blocks alternate between the lanes, as MurmurHash3 takes them in pairs.
        if ((blocks++ & 1) == 0) {
            h1 ^= Long.rotateLeft(k * C1, 31) * C2;
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
        } else {
            h2 ^= Long.rotateLeft(k * C2, 33) * C1;
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
    }

    /** {@return the key as 32 lower-case hex digits} The key can still be added to after. */
    public String hex() {
        long a = h1;
        long b = h2;
        if (charsInBlock > 0) {
            a ^= Long.rotateLeft(block * C1, 31) * C2;
        }
        long length = blocks * 4 + charsInBlock;
        a ^= length;
        b ^= length;
        a += b;
        b += a;
        a = avalanche(a);
        b = avalanche(b);
        a += b;
        b += a;
        return hex16(a) + hex16(b);
    }

    private static long avalanche(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static String hex16(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }
}
