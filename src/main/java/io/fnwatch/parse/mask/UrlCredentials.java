package io.fnwatch.parse.mask;

/**
 * Passwords in URLs, {@code scheme://user:password@host} — the user may be empty ({@code redis://:pw@host})
 * and the password may hold a {@code /}. Only the password is masked. {@code host:8080/path?to=a@b} is a port,
 * not a password. Linear: where the next {@code @} or delimiter lies is remembered between candidates.
 */
final class UrlCredentials {

    private UrlCredentials() {}

    static void scan(String d, Marks marks) {
        int n = d.length();
        int pos = 0;
        int stopFrom = -1;
        int stop = -1;
        while (true) {
            int sep = d.indexOf("://", pos);
            if (sep < 0) {
                return;
            }
            int u = sep + 3;
            int colon = u;
            while (colon < n && userChar(d.charAt(colon))) {
                colon++;
            }
            pos = u;
            if (colon >= n || d.charAt(colon) != ':') {
                continue;
            }
            int from = colon + 1;
            if (stopFrom < 0 || from < stopFrom || from > stop) {
                stop = from;
                while (stop < n && !ends(d.charAt(stop))) {
                    stop++;
                }
            }
            stopFrom = from;
            if (stop >= n || d.charAt(stop) != '@' || stop == from) {
                continue;
            }
            if (isPort(d, from, stop) || d.startsWith("[REDACTED", from)) {
                continue;
            }
            marks.mark(from, stop, Kind.URL_CREDENTIALS);
            pos = stop + 1;
        }
    }

    private static boolean userChar(char c) {
        return c != ':'
                && c != '/'
                && c != '@'
                && c != '?'
                && c != '#'
                && !Chars.space(c)
                && !Chars.quote(c)
                && c != '<'
                && c != '>';
    }

    private static boolean ends(char c) {
        return c == '@' || Chars.space(c) || Chars.quote(c) || c == '<' || c == '>';
    }

    /**
     * Digits up to the end or to a path or query: {@code host:8080/p?to=a@b}. Not up to a {@code #}: an {@code @}
     * after a port and a fragment is rare, while passwords such as {@code 0#Secret} are written unencoded.
     */
    private static boolean isPort(String d, int from, int to) {
        int i = from;
        while (i < to && Chars.digit(d.charAt(i))) {
            i++;
        }
        return i > from && (i == to || d.charAt(i) == '/' || d.charAt(i) == '?');
    }
}
