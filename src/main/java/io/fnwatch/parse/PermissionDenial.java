package io.fnwatch.parse;

import io.fnwatch.model.FunctionEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the wordings of a denied cloud API call and extracts principal, action and resource from
 * AWS's "User: P is not authorized to perform: A on resource: R", Azure's "The client 'P' … does not have
 * authorization to perform action 'A' over scope 'R'" and Google's "Permission 'A' denied on resource 'R'".
 */
final class PermissionDenial {

    private static final String[] MARKERS = {
        "is not authorized to perform",
        "AccessDenied",
        "UnauthorizedOperation",
        "PERMISSION_DENIED",
        "AuthorizationFailed",
        "AuthorizationPermissionMismatch",
        "does not have authorization to perform action",
        "PermissionDenied"
    };

    private static final Pattern AZURE = Pattern.compile("client '([^']+)'(?: with object id '[^']*')? does not have"
            + " authorization to perform action '([^']+)'(?: over scope '([^']+)')?");
    private static final Pattern GOOGLE =
            Pattern.compile("Permission '([^']+)' denied (?:on|for) resource(?: '([^']+)')?");

    private PermissionDenial() {}

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
            b.principal =
                    text.substring(user + "User: ".length(), notAuthorized).trim();
        }
        if (notAuthorized >= 0) {
            int actionStart = notAuthorized + " is not authorized to perform: ".length();
            b.action = token(text, actionStart);
            int on = text.indexOf(" on resource: ", actionStart);
            if (on >= 0) {
                b.resource = token(text, on + " on resource: ".length());
            }
        } else if (text.contains("does not have authorization")) {
            Matcher m = AZURE.matcher(text);
            if (m.find()) {
                b.principal = m.group(1);
                b.action = m.group(2);
                b.resource = m.group(3);
            }
        } else if (text.contains("Permission '")) {
            Matcher m = GOOGLE.matcher(text);
            if (m.find()) {
                b.action = m.group(1);
                b.resource = m.group(2);
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
