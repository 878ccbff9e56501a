package io.fnwatch.parse.mask;

/**
 * Which characters of the decoded text are secret, and of which kind. The first scanner to claim a character
 * keeps it, so the more specific scanners run first.
 */
final class Marks {

    private final int length;
    private byte[] kindAt; // 0: not secret, else Kind.ordinal() + 1; allocated at the first mark
    private boolean any;

    Marks(int length) {
        this.length = length;
    }

    void mark(int from, int to, Kind kind) {
        byte k = (byte) (kind.ordinal() + 1);
        if (kindAt == null) {
            kindAt = new byte[length];
        }
        for (int i = Math.max(0, from); i < to && i < kindAt.length; i++) {
            if (kindAt[i] == 0) {
                kindAt[i] = k;
                any = true;
            }
        }
    }

    boolean any() {
        return any;
    }

    /** The kind of char i, or null. */
    Kind kind(int i) {
        return kindAt == null || kindAt[i] == 0 ? null : Kind.ALL[kindAt[i] - 1];
    }

    int length() {
        return length;
    }
}
