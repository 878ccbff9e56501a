package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Masking is linear on hostile input (issue 13, finding 2): 256 KiB of repeated PEM headers took 12 s and
 * 1 MiB of {@code eyJeyJ...} 18 s in the regex rules. For every shape, masking 1 MiB must cost less than 20
 * times masking 64 KiB (16 times the bytes), and under 2 ms of CPU per KiB. CPU time of this thread, the best
 * of three runs, so that a loaded machine does not fail the test.
 */
class MaskingCostTest {

    private static final int SMALL = 64 * 1024;
    private static final int LARGE = 1024 * 1024;

    private final Redactor redactor = new Redactor();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    static Map<String, String> hostileUnits() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pem-headers", "-----BEGIN PRIVATE KEY-----");
        m.put("pem-public-headers", "-----BEGIN CERTIFICATE-----");
        m.put("pem-begins", "-----BEGIN ");
        m.put("pem-end-footers", "-----BEGIN PRIVATE KEY-----\nAB\n-----END PRIVATE KEY-----\n");
        m.put("jwt-eyJ", "eyJ");
        m.put("jwt-half", "eyJabcdefgh.eyJ");
        m.put("jwt-dots", "eyJabcdefgh.eyJabcdefg.");
        m.put("names-and-equals", "password=");
        m.put("names-colons", "password:");
        m.put("names-spaces", "password ");
        m.put("name-nbsp", "apiToken\u00a0\u00a0\u00a0\u00a0");
        m.put("quotes", "\"password\":\"");
        m.put("authorization-digest", "Authorization: Digest ");
        m.put("url-schemes", "a://");
        m.put("url-empty-users", "a://:");
        m.put("url-users", "x://u:p/");
        m.put("json-escapes", "\\\\\\\"");
        m.put("unicode-escapes", "\\u005c");
        m.put("url-escapes", "%2525");
        m.put("aws-prefixes", "1AKIA");
        m.put("github-prefixes", "ghp_");
        m.put("sentry-prefixes", "sntrys_");
        m.put("slack-webhooks", "hooks.slack.com/");
        m.put("telegram-colons", "123456789:A");
        m.put("discord-like", "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.");
        m.put("azure-like", "a1Q~");
        m.put("letters", "a");
        // issue 14: names kept as names
        m.put("arn-starts", "(arn:a ");
        m.put("arn-secret-parts", "arn:aws:secretsmanager:r:1:secret:");
        m.put("references", "password=${");
        m.put("empty-then-pairs", "token= A=b ");
        m.put("names-as-values", "secret: a_b_");
        m.put("placeholders", "password=*");
        m.put("discord-dotted", "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.");
        m.put("discord-names", "NotificationServiceHandler.Invoke.");
        return m;
    }

    @Test
    void maskingCostGrowsLinearly() {
        for (var e : hostileUnits().entrySet()) {
            String small = fill(e.getValue(), SMALL);
            String large = fill(e.getValue(), LARGE);
            redactor.redact(large); // warm up: the JIT compiles the unit's path before either is timed
            long smallNs = bestCpu(small, 3);
            long largeNs = bestCpu(large, 3);
            assertThat(largeNs)
                    .as(
                            "%s: 1 MiB took %d ms of CPU, 64 KiB %d ms",
                            e.getKey(), largeNs / 1_000_000, smallNs / 1_000_000)
                    .isLessThan(20 * smallNs + 20_000_000L);
            assertThat(largeNs).as("%s: 1 MiB within 2 ms per KiB", e.getKey()).isLessThan(2_048_000_000L);
        }
    }

    /** Dead-letter payloads: envelope {@code data} fields are decoded, leniently, within a budget. */
    @Test
    void maskingARecordWithEnvelopesGrowsLinearly() {
        String b64 = java.util.Base64.getEncoder()
                .encodeToString("password=Hunter2xyz!9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> units = new LinkedHashMap<>();
        units.put("data-fields", "{\"data\":\"" + b64 + "\"},");
        units.put("data-names", "\"data\":");
        units.put("escaped-data-fields", "\\\"data\\\":\\\"" + b64 + "!\\\",");
        units.put("bad-characters", "{\"data\":\"QUFB!QUFB!QUFB");
        for (var e : units.entrySet()) {
            String small = fill(e.getValue(), SMALL);
            String large = fill(e.getValue(), LARGE);
            redactor.maskedRecord(fill(e.getValue(), 256 * 1024), Integer.MAX_VALUE - Redactor.MARGIN);
            long smallNs = bestRecordCpu(small, 3);
            long largeNs = bestRecordCpu(large, 3); // best of three: one round may meet the JIT or a GC
            assertThat(largeNs)
                    .as("%s: 1 MiB took %d ms, 64 KiB %d ms", e.getKey(), largeNs / 1_000_000, smallNs / 1_000_000)
                    .isLessThan(20 * smallNs + 20_000_000L);
            assertThat(largeNs).as("%s: 1 MiB within 2 ms per KiB", e.getKey()).isLessThan(2_048_000_000L);
        }
    }

    private long bestRecordCpu(String text, int runs) {
        long best = Long.MAX_VALUE;
        for (int k = 0; k < runs; k++) {
            long t0 = threads.getCurrentThreadCpuTime();
            redactor.maskedRecord(text, text.length());
            best = Math.min(best, threads.getCurrentThreadCpuTime() - t0);
        }
        return best;
    }

    @Test
    void aSixteenMebibyteMessageCostsTheWindowOnly() {
        String huge = fill("-----BEGIN PRIVATE KEY-----", 16 * LARGE);
        long t0 = threads.getCurrentThreadCpuTime();
        var r = redactor.window(huge, 1024, false);
        long ns = threads.getCurrentThreadCpuTime() - t0;
        assertThat(r.text()).isEqualTo("[REDACTED:PRIVATE_KEY]");
        assertThat(ns).isLessThan(200_000_000L);
    }

    private long bestCpu(String text, int runs) {
        long best = Long.MAX_VALUE;
        for (int k = 0; k < runs; k++) {
            long t0 = threads.getCurrentThreadCpuTime();
            redactor.redact(text);
            best = Math.min(best, threads.getCurrentThreadCpuTime() - t0);
        }
        return best;
    }

    static String fill(String unit, int chars) {
        StringBuilder sb = new StringBuilder(chars + unit.length());
        while (sb.length() < chars) {
            sb.append(unit);
        }
        sb.setLength(chars);
        return sb.toString();
    }
}
