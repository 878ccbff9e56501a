package io.fnwatch.parse.mask;

/** Character classes the scanners share, looked up in a table for ASCII (the scanners' inner loops use them). */
final class Chars {

    private static final int LETTER = 1;
    private static final int DIGIT = 2;
    private static final int NAME = 4; // letters, digits, _ - .
    private static final int HEX = 8;
    private static final int SPACE = 16;
    private static final int QUOTE = 32;
    private static final byte[] CLASS = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            int k = 0;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                k |= LETTER | NAME;
            }
            if (c >= '0' && c <= '9') {
                k |= DIGIT | NAME | HEX;
            }
            if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                k |= HEX;
            }
            if (c == '_' || c == '-' || c == '.') {
                k |= NAME;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f') {
                k |= SPACE;
            }
            if (c == '"' || c == '\'' || c == '`') {
                k |= QUOTE;
            }
            CLASS[c] = (byte) k;
        }
    }

    private Chars() {}

    private static boolean is(char c, int k) {
        return c < 128 && (CLASS[c] & k) != 0;
    }

    /** Any white space, the non-breaking ones included. */
    static boolean space(char c) {
        return c < 128 ? (CLASS[c] & SPACE) != 0 : Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    static boolean alnum(char c) {
        return is(c, LETTER | DIGIT);
    }

    static boolean letter(char c) {
        return is(c, LETTER);
    }

    static boolean digit(char c) {
        return is(c, DIGIT);
    }

    /** A character of a key name: letters, digits, {@code _ - .}. */
    static boolean name(char c) {
        return is(c, NAME);
    }

    static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean lowerLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean hex(char c) {
        return is(c, HEX);
    }

    /** base64url alphabet, as JWTs use it. */
    static boolean b64url(char c) {
        return is(c, LETTER | DIGIT) || c == '-' || c == '_';
    }

    static boolean quote(char c) {
        return is(c, QUOTE);
    }
}
