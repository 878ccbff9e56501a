package io.fnwatch.parse.mask;

/**
 * JSON Web Tokens: {@code eyJ<header>.eyJ<payload>.<signature>} in base64url. A hand-written scan instead of
 * a regex: after a failed candidate it resumes at the end of the run it read, so {@code eyJeyJeyJ...} costs
 * one pass rather than one pass per {@code eyJ}.
 */
final class Jwts {

    private static final int MIN_HEADER = 8;

    private Jwts() {}

    static void scan(String d, Marks marks) {
        int pos = 0;
        int n = d.length();
        while (true) {
            int s = d.indexOf("eyJ", pos);
            if (s < 0) {
                return;
            }
            int h = run(d, s);
            if (h - s >= MIN_HEADER && h + 4 < n && d.charAt(h) == '.' && d.startsWith("eyJ", h + 1)) {
                int p = run(d, h + 1);
                if (p - h - 1 >= 5 && p < n && d.charAt(p) == '.') {
                    int sig = run(d, p + 1);
                    marks.mark(s, sig, Kind.JWT);
                    pos = sig;
                    continue;
                }
                pos = Math.max(p, s + 3);
                continue;
            }
            pos = Math.max(h, s + 3);
        }
    }

    private static int run(String d, int i) {
        while (i < d.length() && Chars.b64url(d.charAt(i))) {
            i++;
        }
        return i;
    }
}
