package io.fnwatch.bench.masking;

import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Seeded random strings of the alphabets secrets and identifiers use. */
final class Randoms {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String HEX = "0123456789abcdef";
    private static final String B64 = ALNUM + "+/";
    private static final String WORD_DASH = ALNUM + "_-";

    final Random random;

    Randoms(long seed) {
        this.random = new Random(seed);
    }

    String of(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    String alnum(int n) {
        return of(ALNUM, n);
    }

    String base32(int n) {
        return of(BASE32, n);
    }

    String hex(int n) {
        return of(HEX, n);
    }

    String b64(int n) {
        return of(B64, n);
    }

    String wordDash(int n) {
        return of(WORD_DASH, n);
    }

    String digits(int n) {
        StringBuilder sb = new StringBuilder().append((char) ('1' + random.nextInt(9)));
        while (sb.length() < n) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }

    String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** A password as people choose them: letters, digits and punctuation, sometimes a slash. */
    String password() {
        return of(ALNUM, 6 + random.nextInt(6)) + of("!#$*/-_.~^", 1) + of(ALNUM, 2 + random.nextInt(4));
    }

    String base64Of(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }
}
