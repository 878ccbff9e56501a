package io.fnwatch.parse;

import io.fnwatch.model.FunctionEvent;

/**
 * Recognises the wordings of a denied cloud API call and extracts principal, action and resource from
 * the common "User: P is not authorized to perform: A on resource: R" sentence.
 */
final class PermissionDenial {

    private static final String[] MARKERS = {
        "is not authorized to perform", "AccessDenied", "UnauthorizedOperation", "PERMISSION_DENIED",
        "AuthorizationFailed"
    };

    private PermissionDenial() {
    }

    static boolean appliesTo(String text) {
        for (String marker : MARKERS) {
            if (text.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    static void extract(String text, FunctionEvent.Builder b) {
        int user = text.indexOf("User: ");
        int notAuthorized = text.indexOf(" is not authorized to perform: ");
        if (user >= 0 && notAuthorized > user) {
            b.principal = text.substring(user + "User: ".length(), notAuthorized).trim();
        }
        if (notAuthorized >= 0) {
            int actionStart = notAuthorized + " is not authorized to perform: ".length();
            b.action = token(text, actionStart);
            int on = text.indexOf(" on resource: ", actionStart);
            if (on >= 0) {
                b.resource = token(text, on + " on resource: ".length());
            }
        }
    }

    /** A whitespace-, quote- or comma-delimited token starting at {@code from}. */
    private static String token(String text, int from) {
        while (from < text.length() && (text.charAt(from) == '"' || text.charAt(from) == '\'')) {
            from++;
        }
        int end = from;
        while (end < text.length()) {
            char c = text.charAt(end);
            if (Character.isWhitespace(c) || c == '"' || c == ',' || c == '\'') {
                break;
            }
            end++;
        }
        return end > from ? text.substring(from, end) : null;
    }
}
