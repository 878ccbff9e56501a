package io.fnwatch.parse;

/** Helpers for rejection details. */
final class Rejections {

    private Rejections() {}

    /**
     * Jackson's "Unrecognized token 'hunter2': was expecting ..." quotes an unquoted word of the input, which
     * in a broken {@code {"password": hunter2}} is the secret itself, and nothing in the message says so; the
     * word is replaced by its length.
     */
    static String withoutEchoedToken(String detail) {
        String out = cut(detail, "Unrecognized token '", "'", "Unrecognized token [REDACTED:UNPARSED_TOKEN]");
        // "Numeric value (4111111111111111) out of range": a card or account number is echoed the same way
        return cut(out, "Numeric value (", ")", "Numeric value [REDACTED:UNPARSED_NUMBER]");
    }

    private static String cut(String detail, String open, String close, String replacement) {
        int at = detail.indexOf(open);
        if (at < 0) {
            return detail;
        }
        int from = at + open.length();
        int to = detail.indexOf(close, from);
        if (to < 0) {
            to = detail.length();
        }
        return detail.substring(0, at) + replacement + " (" + (to - from) + " chars)"
                + detail.substring(Math.min(detail.length(), to + close.length()));
    }
}
