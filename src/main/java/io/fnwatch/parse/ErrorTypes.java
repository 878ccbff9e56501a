package io.fnwatch.parse;

/**
 * Names the error an application line reports, for {@code FunctionEvent.errorType}. In order:
 *
 * <ol>
 *   <li>the {@code errorType} the record itself gives (Lambda JSON log format, Node's, Java's and Python's
 *       error documents), when it is a non-blank string;
 *   <li>an {@code "errorType":"…"} embedded in the text (Node's {@code Invoke Error} and
 *       {@code Uncaught Exception} lines);
 *   <li>an exception name opening the message: {@code Name: message} or a lone {@code Name}, where the name
 *       (dots allowed) ends in {@code Error}, {@code Exception}, {@code Exit}, {@code Interrupt} or
 *       {@code Fault}, or is a Lambda {@code Runtime.*}/{@code Sandbox.*} name or Ruby's
 *       {@code Function<…>};
 *   <li>the last line of a Python traceback ({@code KeyError: 'x'}, {@code StopIteration});
 *   <li>the first {@code …Error} or {@code …Exception} token in the message (a .NET exception after its text);
 *   <li>else the level, {@code ERROR} or {@code FATAL}: stable, so a burst of unnamed errors still groups.
 * </ol>
 *
 * Every scan is bounded, so a hostile megabyte line costs no more than reading it.
 */
final class ErrorTypes {

    static final String TRACEBACK = "Traceback (most recent call last):";
    private static final String ERROR_TYPE_FIELD = "\"errorType\"";
    /** No class name is longer; anything longer is not one. */
    private static final int MAX_NAME = 200;
    /** How far into a message the token scan looks: an exception's name comes near the start of its text. */
    private static final int SCAN_WINDOW = 16 * 1024;

    private static final String[] STRICT_SUFFIXES = {"Error", "Exception", "Exit", "Interrupt", "Fault"};

    private ErrorTypes() {}

    /** The error type of {@code text} (its message starting at {@code from}), never null. */
    static String of(String text, int from, int level, String recordErrorType) {
        String given = clean(recordErrorType);
        if (given != null) {
            return given;
        }
        int field = text.indexOf(ERROR_TYPE_FIELD, from);
        String name = field < 0 ? null : jsonString(text, field + ERROR_TYPE_FIELD.length());
        if (name == null) {
            name = leadingName(text, from, true);
        }
        if (name == null) {
            int traceback = text.indexOf(TRACEBACK, from);
            name = traceback < 0 ? null : lastLineName(text, traceback + TRACEBACK.length());
        }
        if (name == null) {
            name = firstToken(text, from);
        }
        return name != null ? name : level == AppLevel.FATAL ? "FATAL" : "ERROR";
    }

    /** A record's own error type: trimmed, non-blank, at most {@value #MAX_NAME} characters. */
    static String clean(String errorType) {
        if (errorType == null) {
            return null;
        }
        String t = errorType.strip();
        return t.isEmpty() ? null : t.length() > MAX_NAME ? t.substring(0, MAX_NAME) : t;
    }

    /** The JSON string after a field name ({@code : "value"}); null when the value is not a plain string. */
    static String jsonString(String s, int i) {
        i = skipWhitespace(s, i);
        if (i >= s.length() || s.charAt(i) != ':') {
            return null;
        }
        i = skipWhitespace(s, i + 1);
        if (i >= s.length() || s.charAt(i) != '"') {
            return null;
        }
        int start = i + 1;
        for (int j = start; j < s.length() && j - start <= MAX_NAME; j++) {
            char c = s.charAt(j);
            if (c == '"') {
                return clean(s.substring(start, j));
            }
            if (c == '\\' || c < ' ') {
                return null; // an escaped or broken string is no class name
            }
        }
        return null;
    }

    /**
     * The name opening {@code s} at {@code from} when it is followed by {@code ':'} (or .NET's {@code ' :'}), the
     * end or a line break.
     * {@code strict}: only names that look like an exception's (see the class comment).
     */
    static String leadingName(String s, int from, boolean strict) {
        int end = from;
        while (end < s.length() && end - from <= MAX_NAME && isNameChar(s.charAt(end))) {
            end++;
        }
        if (end == from || end - from > MAX_NAME || !Character.isLetter(s.charAt(from))) {
            return null;
        }
        if (end < s.length()) {
            char next = s.charAt(end);
            // .NET's exception ToString() writes "Type : message"
            boolean spacedColon = next == ' ' && end + 1 < s.length() && s.charAt(end + 1) == ':';
            if (next != ':' && next != '\n' && next != '\r' && !spacedColon) {
                return null;
            }
        }
        String name = s.substring(from, end);
        return !strict || looksLikeException(name) ? name : null;
    }

    private static boolean looksLikeException(String name) {
        if (name.startsWith("Runtime.") || name.startsWith("Sandbox.") || name.endsWith(">")) {
            return name.indexOf('.') > 0 || name.indexOf('<') > 0;
        }
        for (String suffix : STRICT_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** The name opening the last non-blank line after {@code from}, when that line is not indented. */
    static String lastLineName(String s, int from) {
        int end = s.length();
        while (end > from) {
            while (end > from && isBlank(s.charAt(end - 1))) {
                end--;
            }
            int start = end;
            while (start > from && s.charAt(start - 1) != '\n' && s.charAt(start - 1) != '\r') {
                start--;
            }
            if (start < end) {
                return leadingName(s.substring(start, end), 0, false);
            }
            end = start;
        }
        return null;
    }

    /** The first {@code XxxError} or {@code XxxException} token within {@value #SCAN_WINDOW} of {@code from}. */
    static String firstToken(String s, int from) {
        int limit = Math.min(s.length(), from + SCAN_WINDOW);
        String best = null;
        int bestStart = Integer.MAX_VALUE;
        for (String suffix : new String[] {"Error", "Exception"}) {
            int i = s.indexOf(suffix, from);
            while (i >= 0 && i < limit && i < bestStart) {
                int end = i + suffix.length();
                int start = i;
                if (end >= s.length() || !isNameChar(s.charAt(end)) || s.charAt(end) == '.') {
                    while (start > from && i - start < MAX_NAME && isNameChar(s.charAt(start - 1))) {
                        start--;
                    }
                    while (start < i && !Character.isLetter(s.charAt(start))) {
                        start++; // a name starts with a letter, not a dot or digit
                    }
                    if (start < i && i - start < MAX_NAME && start < bestStart) {
                        bestStart = start;
                        best = s.substring(start, end);
                        break;
                    }
                }
                i = s.indexOf(suffix, end);
            }
        }
        return best;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$' || c == '<' || c == '>';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u00a0';
    }

    private static int skipWhitespace(String s, int i) {
        while (i < s.length() && isBlank(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
