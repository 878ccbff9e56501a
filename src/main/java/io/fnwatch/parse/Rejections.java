package io.fnwatch.parse;

/** Helpers for rejection details. */
final class Rejections {

    private static final String TOKEN = "Unrecognized token '";

    private Rejections() {
    }

    /**
     * Jackson's "Unrecognized token 'hunter2': was expecting ..." quotes an unquoted word of the input, which
     * in a broken {@code {"password": hunter2}} is the secret itself, and nothing in the message says so; the
     * word is replaced by its length.
     */
    static String withoutEchoedToken(String detail) {
        int at = detail.indexOf(TOKEN);
        if (at < 0) {
            return detail;
        }
        int from = at + TOKEN.length();
        int to = detail.indexOf('\'', from);
        if (to < 0) {
            to = detail.length();
        }
        return detail.substring(0, at) + "Unrecognized token [REDACTED:UNPARSED_TOKEN] (" + (to - from) + " chars)"
                + detail.substring(Math.min(detail.length(), to + 1));
    }
}
