package io.fnwatch.parse.mask;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Finds secrets in a text and replaces each with {@code [REDACTED:KIND]}. The text is first decoded (JSON
 * string escapes and URL escapes, at every nesting level), the scanners run on the decoded text in order of
 * specificity — key blocks, JWTs, provider token shapes, URL passwords, then values under secret names — and
 * the masks are mapped back onto the original, which otherwise stays as it was. Every step is linear in the
 * text's length. Stateless and thread-safe.
 */
public final class SecretMasker {

    /** The masked text, the kinds found (in {@link Kind} order), and whether it ends inside a key block. */
    public record Masked(String text, List<String> kinds, boolean openKeyBlock) {}

    public Masked mask(String original, boolean insideKeyBlock) {
        return mask(original, insideKeyBlock, original.length());
    }

    /**
     * Masks {@code original} but returns only what stems from its first {@code keep} characters (a mask that
     * starts before {@code keep} is kept whole): the characters after {@code keep} are read only so that a
     * secret crossing the cut is recognised.
     */
    public Masked mask(String original, boolean insideKeyBlock, int keep) {
        Decoded decoded = Decoded.of(original);
        Marks marks = new Marks(original.length());
        boolean open;
        if (decoded.text.equals(original)) {
            open = scan(original, marks, insideKeyBlock);
        } else {
            // the decoded view finds what escapes hid; the original view what decoding broke apart
            // ("Bearer %3Bxyz" decodes to a delimiter): both are masked
            Marks inDecoded = new Marks(decoded.text.length());
            open = scan(decoded.text, inDecoded, insideKeyBlock);
            for (int i = 0; i < decoded.text.length(); i++) {
                Kind k = inDecoded.kind(i);
                if (k != null) {
                    marks.mark(decoded.start(i), decoded.start(i + 1), k);
                }
            }
            open |= scan(original, marks, insideKeyBlock);
        }
        if (!marks.any()) {
            return new Masked(keep >= original.length() ? original : original.substring(0, keep), List.of(), open);
        }
        StringBuilder out = new StringBuilder(original.length());
        EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        int copied = 0; // in the original
        int i = 0;
        int n = marks.length();
        while (i < n) {
            Kind k = marks.kind(i);
            if (k == null) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < n && marks.kind(j) == k) {
                j++;
            }
            int from = i;
            if (from >= keep) {
                break;
            }
            int to = j;
            out.append(original, copied, from)
                    .append("[REDACTED:")
                    .append(k.name())
                    .append(']');
            copied = to;
            kinds.add(k);
            i = j;
        }
        if (copied < keep) {
            out.append(original, copied, Math.min(keep, original.length()));
        }
        List<String> names = new ArrayList<>(kinds.size());
        kinds.forEach(k -> names.add(k.name()));
        return new Masked(out.toString(), names, open);
    }

    private static boolean scan(String d, Marks marks, boolean insideKeyBlock) {
        boolean open = KeyBlocks.scan(d, marks, insideKeyBlock);
        Jwts.scan(d, marks);
        TokenShapes.scan(d, marks);
        UrlCredentials.scan(d, marks);
        KeyedValues.scan(d, marks);
        return open;
    }
}
