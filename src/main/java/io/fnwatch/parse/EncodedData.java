package io.fnwatch.parse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * Secrets hidden by an envelope's encoding: the base64 {@code "data"} of Firehose records, {@code awslogs}
 * and Pub/Sub messages (often gzip inside) is opaque to a text scanner, yet anyone who reads a dead letter can
 * decode it. Each such field is decoded (and inflated), its nested {@code data} fields the same way, and
 * masked; a field that held a secret is replaced by the base64 of its masked text (no longer gzip), every other
 * field is left as it was. The work is bounded: at most {@link #MAX_DEPTH} levels and {@link #MAX_DECODED}
 * decoded bytes per call, and one pass over the text at each level.
 */
final class EncodedData {

    static final int MAX_DEPTH = 4;
    /** Decoded and inflated bytes one call may produce, across all its fields and levels. */
    static final int MAX_DECODED = 1 << 20;

    private static final String FIELD = "\"data\"";

    private EncodedData() {}

    /** {@code text} with every base64 {@code data} field that hides a secret re-encoded from its masked text. */
    static String mask(String text, UnaryOperator<String> masker) {
        return mask(text, masker, 0, new int[] {MAX_DECODED});
    }

    private static String mask(String text, UnaryOperator<String> masker, int depth, int[] budget) {
        if (depth >= MAX_DEPTH || text.indexOf(FIELD) < 0) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        int at;
        while ((at = text.indexOf(FIELD, from)) >= 0) {
            int start = valueStart(text, at + FIELD.length());
            if (start < 0) {
                from = at + FIELD.length();
                continue;
            }
            int end = start;
            while (end < text.length() && isBase64(text.charAt(end))) {
                end++;
            }
            from = Math.max(end, at + FIELD.length());
            String masked = maskedValue(text.substring(start, end), masker, depth, budget);
            if (masked != null) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, start).append(masked);
                copied = end;
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** The masked field as base64, or null when the field decodes to nothing that had to be masked. */
    private static String maskedValue(String base64, UnaryOperator<String> masker, int depth, int[] budget) {
        byte[] bytes = decode(base64, budget);
        if (bytes == null) {
            return null;
        }
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        String masked = masker.apply(mask(decoded, masker, depth + 1, budget));
        return masked.equals(decoded)
                ? null
                : Base64.getEncoder().encodeToString(masked.getBytes(StandardCharsets.UTF_8));
    }

    /** Decoded (and inflated) bytes within the budget; null if not base64 or nothing is left of the budget. */
    private static byte[] decode(String base64, int[] budget) {
        // a payload cut at its size cap may end mid-field: what is whole of it still decodes
        String whole = base64.substring(0, base64.length() - base64.length() % 4);
        if (whole.length() < 8 || budget[0] <= 0) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(whole);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (Gzip.isGzip(raw)) {
            byte[] inflated = Gzip.inflateAtMost(raw, budget[0]);
            raw = inflated == null ? new byte[0] : inflated;
        } else if (raw.length > budget[0]) {
            raw = java.util.Arrays.copyOf(raw, budget[0]);
        }
        budget[0] -= raw.length;
        return raw;
    }

    /** Index of the value after {@code "data"}, white space and {@code :} and {@code "}, or -1. */
    private static int valueStart(String text, int i) {
        i = skipSpaces(text, i);
        if (i >= text.length() || text.charAt(i) != ':') {
            return -1;
        }
        i = skipSpaces(text, i + 1);
        return i < text.length() && text.charAt(i) == '"' ? i + 1 : -1;
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBase64(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
    }
}
