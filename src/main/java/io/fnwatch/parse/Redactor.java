package io.fnwatch.parse;

import io.fnwatch.parse.mask.SecretMasker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Masks secrets that functions leak into their logs, as {@code [REDACTED:KIND]}: private key blocks, JWTs,
 * provider tokens (AWS, GCP, Azure, GitHub, GitLab, Slack, Stripe and more), passwords in URLs and values
 * under secret names, after decoding JSON and URL escapes (see {@link io.fnwatch.parse.mask.SecretMasker}).
 * The work is linear in the text's length, and ordinary lines cost one pass over their characters.
 *
 * <p>{@link #window} bounds the work on long texts: it masks only the first {@code keep} characters plus a
 * margin as long as the longest secret shape, then cuts to {@code keep}, so a cut never leaves half a secret
 * readable and a 16 MiB message costs what {@code keep + MARGIN} characters cost.
 */
public final class Redactor {

    /** Characters masked beyond the kept ones: longer than any secret shape but a key block (16 KiB). */
    public static final int MARGIN = 16 * 1024;

    private final SecretMasker masker = new SecretMasker();

    /** The masked text and the kinds of secret found, in a fixed kind order, without repeats. */
    public record Result(String text, List<String> kinds) {}

    public Result redact(String text) {
        SecretMasker.Masked m = masker.mask(text, false);
        return new Result(m.text(), m.kinds());
    }

    /**
     * Masks the first {@code keep} characters of {@code text} (reading {@link #MARGIN} more) and cuts the
     * masked text to {@code keep}. {@code insideKeyBlock}: the text continues a private key block opened by an
     * earlier event of the same log stream, so it is masked up to the block's footer.
     */
    public SecretMasker.Masked window(String text, int keep, boolean insideKeyBlock) {
        long limit = (long) keep + MARGIN;
        String head = text.length() <= limit ? text : text.substring(0, (int) limit);
        SecretMasker.Masked m = masker.mask(head, insideKeyBlock, keep);
        String out = m.text().length() <= keep ? m.text() : m.text().substring(0, keep);
        // a key block still open at the cut stays open for the stream's next event
        return new SecretMasker.Masked(out, m.kinds(), m.openKeyBlock());
    }

    /**
     * A whole record kept as text (a dead letter's payload, an excerpt): {@link #maskedHead} after the base64
     * {@code data} fields of its envelopes are decoded and masked too ({@link EncodedData}), since whoever
     * reads the record can decode them.
     */
    public String maskedRecord(String text, int keep) {
        long limit = (long) keep + MARGIN;
        String head = text.length() <= limit ? text : text.substring(0, (int) limit);
        String opened = EncodedData.mask(head, t -> redact(t).text());
        if (keep >= text.length()) {
            return redact(opened).text();
        }
        // what stems from the first keep characters, a mask that starts before them kept whole
        return masker.mask(opened, false, Math.min(keep, opened.length())).text();
    }

    /**
     * A message that may quote its input (a rejection's detail, an error sent back to a client): the token a
     * JSON error echoes is dropped whatever it looks like, then the rest is masked as a record is
     * ({@link #maskedRecord}), so every detail and every payload goes through the same masking.
     */
    public String maskedDetail(String detail, int keep) {
        if (detail == null) {
            return null;
        }
        // an opened envelope can lengthen the text (up to a MiB): a detail stays as short as asked, whatever it quotes
        String masked = maskedRecord(Rejections.withoutEchoedToken(detail), keep);
        return masked.length() <= keep ? masked : masked.substring(0, keep);
    }

    /** {@link #window} without key-block state, for details, excerpts and payloads. */
    public String maskedHead(String text, int keep) {
        boolean small = text.length() <= CLEAN_MAX_CHARS && text.length() <= keep;
        if (small && clean.containsKey(text)) {
            return text;
        }
        SecretMasker.Masked m = window(text, keep, false);
        if (small && m.kinds().isEmpty() && m.text().equals(text)) {
            if (clean.size() >= CLEAN_MAX_ENTRIES) {
                clean.clear();
            }
            clean.put(text, Boolean.TRUE);
        }
        return m.text();
    }

    /**
     * Short texts found to hold no secret (metric names and dimensions, error types: the same few again and again
     * for each function), so that each is scanned once, not once per event. Masking is a function of the text
     * alone, and only texts it left unchanged are kept: nothing secret is ever held here.
     */
    private final Map<String, Boolean> clean = new ConcurrentHashMap<>();

    static final int CLEAN_MAX_CHARS = 128;
    static final int CLEAN_MAX_ENTRIES = 1024;
}
