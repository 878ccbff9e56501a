package io.fnwatch.parse.mask;

/**
 * PEM and PGP private key blocks ({@code -----BEGIN ... PRIVATE KEY-----} or {@code ... PRIVATE KEY BLOCK-----}
 * through the matching {@code -----END ...-----}), masked whole. A block with no end in the text is masked to
 * the end and reported open, so that the caller can mask the following events of the same log stream up to
 * the footer. Linear: every search moves forward, and a block with no footer ends the scan.
 */
final class KeyBlocks {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final int MAX_HEADER = 80;

    private KeyBlocks() {}

    /** Marks key blocks; returns whether the text ends inside one. */
    static boolean scan(String d, Marks marks, boolean inBlock) {
        int pos = 0;
        if (inBlock) {
            int end = footerEnd(d, 0);
            if (end < 0) {
                marks.mark(0, d.length(), Kind.PRIVATE_KEY);
                return true;
            }
            marks.mark(0, end, Kind.PRIVATE_KEY);
            pos = end;
        }
        while (true) {
            int begin = d.indexOf(BEGIN, pos);
            if (begin < 0) {
                return false;
            }
            int headerFrom = begin + BEGIN.length();
            int close = dashes(d, headerFrom);
            int headerTo = close < 0 ? Math.min(d.length(), headerFrom + MAX_HEADER) : close;
            if (d.substring(headerFrom, headerTo).indexOf("PRIVATE KEY") < 0) {
                pos = headerTo;
                continue;
            }
            int end = footerEnd(d, headerTo);
            if (end < 0) {
                marks.mark(begin, d.length(), Kind.PRIVATE_KEY);
                return true;
            }
            marks.mark(begin, end, Kind.PRIVATE_KEY);
            pos = end;
        }
    }

    /** Where the first {@code -----END ...-----} footer at or after {@code from} ends, or -1. */
    private static int footerEnd(String d, int from) {
        int end = d.indexOf(END, from);
        if (end < 0) {
            return -1;
        }
        int close = dashes(d, end + END.length());
        if (close < 0) {
            // a footer cut short: mask through its line
            int nl = d.indexOf('\n', end);
            return nl < 0 ? d.length() : nl;
        }
        return close + 5;
    }

    /** The next {@code -----} within a header's length of {@code from}, or -1: a bounded look, never the whole text. */
    private static int dashes(String d, int from) {
        int limit = Math.min(d.length() - 5, from + MAX_HEADER);
        for (int i = from; i <= limit; i++) {
            if (d.startsWith("-----", i)) {
                return i;
            }
        }
        return -1;
    }
}
