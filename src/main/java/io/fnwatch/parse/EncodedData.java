package io.fnwatch.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * Secrets hidden by an envelope's encoding: the base64 {@code "data"} of Firehose records, {@code awslogs}
 * and Pub/Sub messages (and Kinesis' {@code "Data"}, often gzip inside) is opaque to a text scanner, yet
 * anyone who reads a dead letter can decode it. Each such field is decoded (and inflated), its nested
 * {@code data} fields the same way, and masked; a field that held a secret is replaced by the base64 of its
 * masked text (no longer gzip), every other field is left as it was.
 *
 * <p>Decoding is as lenient as the decoders a reader would use, since a dead letter is often there because
 * its base64 is bad: the field may sit in an escaped JSON string ({@code \"data\":\"…\"}), hold JSON escapes
 * ({@code \/}, {@code \n} line breaks), the URL-safe alphabet, missing or inner padding, or characters outside
 * the alphabet, which are skipped as a MIME decoder skips them — and each run between such characters is
 * also decoded on its own, as a reader who splits there would. A gzip stream that is cut, corrupt or larger
 * than the budget is replaced by the masked text of what could be inflated when that held a secret, or when
 * the stream could not be read to its end (what lies past the damage or the budget cannot be checked).
 *
 * <p>The work is bounded: at most {@link #MAX_DEPTH} levels and {@link #MAX_DECODED} decoded bytes per call,
 * and one pass over the text at each level.
 */
final class EncodedData {

    static final int MAX_DEPTH = 4;
    /** Decoded and inflated bytes one call may produce, across all its fields and levels. */
    static final int MAX_DECODED = 1 << 20;

    private EncodedData() {}

    /** {@code text} with every base64 {@code data} field that hides a secret re-encoded from its masked text. */
    static String mask(String text, UnaryOperator<String> masker) {
        return mask(text, masker, 0, new int[] {MAX_DECODED});
    }

    private static String mask(String text, UnaryOperator<String> masker, int depth, int[] budget) {
        if (depth >= MAX_DEPTH) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int at = nextField(text, 0);
        while (at >= 0) {
            int start = valueStart(text, at + 4);
            if (start < 0) {
                at = nextField(text, at + 4);
                continue;
            }
            Field f = Field.read(text, start);
            String masked = maskedValue(f, masker, depth, budget);
            if (masked != null) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, start).append(masked);
                copied = f.end;
            }
            at = nextField(text, Math.max(f.end, at + 4));
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** The next {@code data} (any case) that is a quoted JSON name, perhaps escaped: {@code "data"}, {@code \"Data\"}. */
    private static int nextField(String text, int from) {
        for (int i = Math.max(from, 1); i + 5 <= text.length(); i++) {
            char c = text.charAt(i);
            if ((c == 'd' || c == 'D') && text.charAt(i - 1) == '"' && text.regionMatches(true, i, "data", 0, 4)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the value after the name ending at {@code i}: its closing quote, {@code :}, the opening quote; or -1. */
    private static int valueStart(String text, int i) {
        i = skipBackslashes(text, i);
        if (i >= text.length() || text.charAt(i) != '"') {
            return -1;
        }
        i = skipSpaces(text, i + 1);
        if (i >= text.length() || text.charAt(i) != ':') {
            return -1;
        }
        i = skipBackslashes(text, skipSpaces(text, i + 1));
        return i < text.length() && text.charAt(i) == '"' ? i + 1 : -1;
    }

    /**
     * A field's value read leniently: the standard-alphabet characters it holds ({@code -_} mapped to
     * {@code +/}, escapes and white space dropped), the runs between characters outside the alphabet, whether
     * it was strict base64 as it stands, and where it ends (its closing quote, escaped or not).
     */
    private record Field(String whole, String[] runs, boolean strict, int end) {

        static Field read(String text, int start) {
            StringBuilder all = new StringBuilder();
            java.util.List<String> runs = new java.util.ArrayList<>();
            int runFrom = 0;
            boolean strict = true;
            int i = start;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    int j = skipBackslashes(text, i);
                    if (j >= text.length() || text.charAt(j) == '"') {
                        break; // the closing quote of an escaped string
                    }
                    char e = text.charAt(j);
                    strict = false;
                    if (e == '/') {
                        all.append('/');
                    } else if (e != 'n' && e != 'r' && e != 't') {
                        runFrom = cut(all, runs, runFrom); // another escape: outside the alphabet
                    }
                    i = j + 1;
                    continue;
                }
                if (c >= 'A' && c <= 'Z'
                        || c >= 'a' && c <= 'z'
                        || c >= '0' && c <= '9'
                        || c == '+'
                        || c == '/'
                        || c == '=') {
                    all.append(c);
                } else if (c == '-' || c == '_') {
                    all.append(c == '-' ? '+' : '/');
                    strict = false;
                } else if (!Character.isWhitespace(c)) {
                    runFrom = cut(all, runs, runFrom);
                    strict = false;
                } else {
                    strict = false;
                }
                i++;
            }
            cut(all, runs, runFrom);
            return new Field(all.toString(), runs.toArray(new String[0]), strict, i);
        }

        private static int cut(StringBuilder all, java.util.List<String> runs, int runFrom) {
            if (all.length() > runFrom) {
                runs.add(all.substring(runFrom));
            }
            return all.length();
        }
    }

    /**
     * The masked field as base64, or null when it is left as it was: nothing decoded held a secret and the
     * whole of it could be read.
     */
    private static String maskedValue(Field f, UnaryOperator<String> masker, int depth, int[] budget) {
        Decoded whole = decode(f.whole, budget);
        if (whole == null) {
            return null;
        }
        String masked = opened(whole, masker, depth, budget);
        if (!masked.equals(whole.text) || !whole.complete) {
            return encode(masked);
        }
        if (f.runs.length > 1) {
            // a reader who splits at the characters outside the alphabet decodes each run aligned anew
            StringBuilder texts = new StringBuilder();
            boolean complete = true;
            for (String run : f.runs) {
                Decoded d = decode(run, budget);
                if (d != null) {
                    texts.append(d.text).append('\n');
                    complete &= d.complete;
                }
            }
            Decoded joined = new Decoded(texts.toString(), complete);
            String maskedRuns = opened(joined, masker, depth, budget);
            if (!maskedRuns.equals(joined.text) || !complete) {
                return encode(maskedRuns);
            }
        }
        return null;
    }

    private static String opened(Decoded d, UnaryOperator<String> masker, int depth, int[] budget) {
        return masker.apply(mask(d.text, masker, depth + 1, budget));
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Decoded text, and whether all of it was read (a gzip stream cut, corrupt or over the budget is not). */
    private record Decoded(String text, boolean complete) {}

    /** Decoded (and inflated) bytes within the budget; null if nothing decodes or nothing is left of the budget. */
    private static Decoded decode(String base64, int[] budget) {
        if (base64.length() < 8 || budget[0] <= 0) {
            return null;
        }
        byte[] raw = lenient(base64);
        if (raw.length == 0) {
            return null;
        }
        boolean complete = true;
        if (Gzip.isGzip(raw)) {
            ByteArrayOutputStream inflated = new ByteArrayOutputStream();
            complete = inflate(raw, budget[0], inflated);
            raw = inflated.toByteArray();
        } else if (raw.length > budget[0]) {
            raw = java.util.Arrays.copyOf(raw, budget[0]);
            complete = false;
        }
        budget[0] -= Math.max(1, raw.length);
        return new Decoded(new String(raw, StandardCharsets.UTF_8), complete);
    }

    /** Inflates at most {@code limit} bytes into {@code out}; whether the stream was read whole to its end. */
    private static boolean inflate(byte[] gz, int limit, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            int r;
            while ((r = in.read(buf, 0, Math.min(buf.length, limit - out.size() + 1))) > 0) {
                if (out.size() + r > limit) {
                    out.write(buf, 0, limit - out.size());
                    return false; // over the budget: what follows is not read
                }
                out.write(buf, 0, r);
            }
            return true;
        } catch (java.io.IOException e) {
            return false; // cut or corrupt: what it gave before the damage is kept
        }
    }

    /**
     * Standard-alphabet base64 decoded as a forgiving decoder would: padding where it is missing, base64 strings
     * run together ({@code …==…}) decoded one after the other, a stray last character dropped.
     */
    private static byte[] lenient(String base64) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(base64.length() * 3 / 4 + 3);
        int from = 0;
        int n = base64.length();
        while (from < n) {
            int to = base64.indexOf('=', from);
            if (to < 0) {
                to = n;
            }
            String chunk = base64.substring(from, to);
            if (chunk.length() % 4 == 1) {
                chunk = chunk.substring(0, chunk.length() - 1);
            }
            if (!chunk.isEmpty()) {
                out.writeBytes(Base64.getDecoder().decode(chunk));
            }
            from = to;
            while (from < n && base64.charAt(from) == '=') {
                from++;
            }
        }
        return out.toByteArray();
    }

    private static int skipBackslashes(String text, int i) {
        while (i < text.length() && text.charAt(i) == '\\') {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
