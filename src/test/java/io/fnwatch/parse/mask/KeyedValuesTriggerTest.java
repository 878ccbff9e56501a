package io.fnwatch.parse.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pre-filter that decides whether a text is searched for values under secret names. */
class KeyedValuesTriggerTest {

    private static final String[] TRIGGERS = {"ass", "ecret", "oken", "key", "pwd", "sig", "uth", "redential", "creds"};

    /** The definition: a trigger occurs in the lower-cased text. */
    private static boolean reference(String d) {
        String lower = d.toLowerCase(Locale.ROOT);
        for (String t : TRIGGERS) {
            if (lower.contains(t)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldAgreeWithLowerCasingOnRandomAsciiText() {
        Random random = new Random(7);
        String alphabet = "aAsSeEcCrRtToOkKnNyYpPwWdDiIgGuUhHlL _-=:\"{}@[`";
        int triggered = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                if (random.nextInt(30) == 0) { // a trigger in random case, sometimes one letter short
                    String t = TRIGGERS[random.nextInt(TRIGGERS.length)];
                    for (int c = random.nextInt(4) == 0 ? 1 : 0; c < t.length(); c++) {
                        char ch = t.charAt(c);
                        b.append(random.nextBoolean() ? Character.toUpperCase(ch) : ch);
                    }
                } else {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String d = b.toString();
            assertThat(KeyedValues.triggered(d)).as(d).isEqualTo(reference(d));
            triggered += reference(d) ? 1 : 0;
        }
        assertThat(triggered).isBetween(1_000, 19_000); // both answers were exercised
    }

    @Test
    void shouldFindTriggersInAnyCaseAndWhereOtherScriptsLowerCaseToThem() {
        assertThat(KeyedValues.triggered("DB_PASSWORD=x")).isTrue();
        assertThat(KeyedValues.triggered("Api-Key: x")).isTrue();
        assertThat(KeyedValues.triggered("x-AUTH-token")).isTrue();
        assertThat(KeyedValues.triggered("api\u212Aey=x")).isTrue(); // KELVIN SIGN lower-cases to 'k'
        assertThat(KeyedValues.triggered("bücher \u212Aey")).isTrue();
        assertThat(KeyedValues.triggered("processed 12 orders in 40 ms")).isFalse();
        assertThat(KeyedValues.triggered("größe 12")).isFalse();
        assertThat(KeyedValues.triggered("")).isFalse();
    }
}
