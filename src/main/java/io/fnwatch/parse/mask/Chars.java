package io.fnwatch.parse.mask;

/** Character classes the scanners share. */
final class Chars {

    private Chars() {
    }

    /** Any white space, the non-breaking ones included. */
    static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c > 127 && (Character.isWhitespace(c)
                || Character.isSpaceChar(c))) || c == '\u000B' || c == '\f';
    }

    static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    static boolean letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean lower(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean hex(char c) {
        return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** base64url alphabet, as JWTs use it. */
    static boolean b64url(char c) {
        return alnum(c) || c == '-' || c == '_';
    }

    static boolean quote(char c) {
        return c == '"' || c == '\'' || c == '`';
    }
}
