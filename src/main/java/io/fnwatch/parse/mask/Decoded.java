package io.fnwatch.parse.mask;

/**
 * A text with its JSON string escapes ({@code \"}, {@code \/}, {@code \\}, {@code \n}, {@code \u0041}...) and
 * URL escapes ({@code %3D}) decoded, level after level (JSON in a JSON string in a JSON string), so that the
 * scanners see {@code {"password":"x"}} however deeply it was escaped. {@link #origin} maps every decoded
 * character back to the span of the original it came from, so masks land on the original text. Each level
 * is one linear pass; there are at most {@link #MAX_LEVELS}.
 */
final class Decoded {

    static final int MAX_LEVELS = 4;

    final String text;
    /** {@code origin[i]} is where decoded char i starts in the original; {@code origin[length]} is the end. Null: identity. */
    private final int[] origin;

    private Decoded(String text, int[] origin) {
        this.text = text;
        this.origin = origin;
    }

    int start(int i) {
        return origin == null ? i : origin[i];
    }

    static Decoded of(String original) {
        String text = original;
        int[] origin = null;
        for (int level = 0; level < MAX_LEVELS; level++) {
            if (text.indexOf('\\') < 0 && text.indexOf('%') < 0) {
                break;
            }
            int n = text.length();
            StringBuilder sb = new StringBuilder(n);
            int[] from = new int[n + 1];
            boolean changed = false;
            int i = 0;
            while (i < n) {
                char c = text.charAt(i);
                int used = 1;
                char out = c;
                if (c == '\\' && i + 1 < n) {
                    char e = text.charAt(i + 1);
                    used = 2;
                    switch (e) {
                        case '"', '\\', '/', '\'' -> out = e;
                        case 'n' -> out = '\n';
                        case 't' -> out = '\t';
                        case 'r' -> out = '\r';
                        case 'b' -> out = '\b';
                        case 'f' -> out = '\f';
                        case 'u' -> {
                            int v = hex(text, i + 2, 4);
                            if (v >= 0) {
                                out = (char) v;
                                used = 6;
                            } else {
                                used = 1;
                            }
                        }
                        default -> used = 1;
                    }
                } else if (c == '%' && i + 2 < n) {
                    int v = hex(text, i + 1, 2);
                    if (v >= 0 && v < 0x80) { // ASCII only: secrets' shapes are ASCII, and no byte sequences to join
                        out = (char) v;
                        used = 3;
                    }
                }
                from[sb.length()] = origin == null ? i : origin[i];
                sb.append(out);
                changed |= used > 1;
                i += used;
            }
            if (!changed) {
                break;
            }
            from[sb.length()] = origin == null ? n : origin[n];
            origin = from;
            text = sb.toString();
        }
        return new Decoded(text, origin);
    }

    private static int hex(String s, int at, int digits) {
        if (at + digits > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < digits; k++) {
            int d = Character.digit(s.charAt(at + k), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
