package io.fnwatch.detect;

import static io.fnwatch.detect.Events.HOUR;
import static io.fnwatch.detect.Events.MINUTE;
import static io.fnwatch.detect.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Late events within the grace count in the bucket of their own minute, never in the current one. */
class TrafficLateEventsTest {

    private final DetectorSettings settings = Defaults.settings();
    private final TrafficSpikeModel.Settings traffic = settings.of(TrafficSpikeModel.SPEC);
    private final FunctionState state = new FunctionState();
    private final List<Alert> alerts = new ArrayList<>();
    /** Three hours of exactly 10 calls a minute: warmed up, expected 10, threshold max(20, 20, 10 + 6·√10) ≈ 29. */
    private final long now = T0 + 3 * HOUR;

    TrafficLateEventsTest() {
        for (long m = T0; m < now; m += MINUTE) {
            onTime(m, 10);
        }
        assertThat(model().warmingUp(traffic)).isFalse();
    }

    private TrafficSpikeModel model() {
        return state.model(TrafficSpikeModel.SPEC);
    }

    private boolean apply(long t) {
        return state.apply(Events.invocation("f", t, 50, false, "success"), settings, new Emitter(key(), alerts));
    }

    private static io.fnwatch.model.FunctionKey key() {
        return Events.invocation("f", T0, 50, false, "success").key();
    }

    /** {@code n} calls spread over the minute starting at {@code minute}. */
    private void onTime(long minute, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(apply(minute + i * (MINUTE / n))).isTrue();
        }
    }

    private List<Alert> spikes() {
        return alerts.stream().filter(a -> a.type() == AlertType.TRAFFIC_SPIKE).toList();
    }

    @Test
    void shouldCountAnEventTwoMinutesLateInItsOwnMinutesBucket() {
        onTime(now, 10); // now is the current bucket; now − 1 and now − 2 minutes are closed
        assertThat(model().closedCount(2)).isEqualTo(10);

        assertThat(apply(now - 2 * MINUTE + 30_000)).isTrue();

        assertThat(model().closedCount(2)).isEqualTo(11);
        assertThat(model().closedCount(1)).isEqualTo(10);
        assertThat(model().baseline(traffic).get("currentBucketCount")).isEqualTo(10);
    }

    @Test
    void shouldNotOpenASpikeOnTheCurrentMinuteForABurstOfLateEvents() {
        // Two minutes in a row each receive 24 late calls for the four minutes before them. Counted in the
        // current minute (as before), that is 34 calls twice against a threshold of about 29: an incident.
        // Counted in their own minutes, no minute gets more than 10 + 12.
        for (int burst = 0; burst < 2; burst++) {
            long current = now + burst * MINUTE;
            onTime(current, 10);
            for (int i = 0; i < 24; i++) {
                long lateMinute = current - (1 + i % 4) * MINUTE;
                assertThat(apply(lateMinute + 1000 + i)).isTrue();
            }
            assertThat(model().baseline(traffic).get("currentBucketCount")).isEqualTo(10);
        }
        assertThat(model().closedCount(1)).isEqualTo(16); // now: 10 + 6
        assertThat(model().closedCount(2)).isEqualTo(22); // now − 1 minute: 10 + 6 + 6
        onTime(now + 2 * MINUTE, 10);
        onTime(now + 3 * MINUTE, 10);

        assertThat(spikes()).isEmpty();
    }

    @Test
    void shouldOpenOnLateEventsThatMakeTheirOwnMinutesASpike() {
        onTime(now, 10);
        onTime(now + MINUTE, 10);
        onTime(now + 2 * MINUTE, 10); // current bucket; the two before it are closed with 10 each

        for (int i = 0; i < 30; i++) {
            apply(now + 1000 + i);
        }
        assertThat(spikes()).isEmpty(); // one anomalous minute of the last three is not yet an incident
        for (int i = 0; i < 30; i++) {
            apply(now + MINUTE + 1000 + i);
        }

        assertThat(spikes()).hasSize(1);
        Alert open = spikes().get(0);
        assertThat(open.state()).isEqualTo(AlertState.OPEN);
        assertThat(open.observed()).isBetween(29.0, 40.0); // judged the moment the late count reaches its threshold
        assertThat(open.windowStart().toEpochMilli()).isEqualTo(now); // the incident starts at the first late minute
        assertThat(open.detectedAt().toEpochMilli()).isEqualTo(now + 2 * MINUTE);
        assertThat(open.evidence()).containsKey("lateCountedBucket");
        assertThat(model().baseline(traffic).get("currentBucketCount")).isEqualTo(10);
    }

    @Test
    void shouldLeaveEventsPastTheGraceToTheDeadLetterTopic() {
        onTime(now, 10);
        long watermark = state.watermark();
        int[] before = closedCounts();

        // the grace is 5 minutes behind the function's newest event: 1 ms more is LATE
        assertThat(apply(watermark - settings.lateGraceMs() - 1)).isFalse();
        assertThat(apply(watermark - settings.lateGraceMs())).isTrue();

        int[] after = closedCounts();
        int k = (int) ((now - Math.floorDiv(watermark - settings.lateGraceMs(), MINUTE) * MINUTE) / MINUTE);
        before[k - 1]++;
        assertThat(after).isEqualTo(before);
        assertThat(model().baseline(traffic).get("currentBucketCount")).isEqualTo(10);
    }

    private int[] closedCounts() {
        int[] out = new int[TrafficSpikeModel.LATE_BUCKETS];
        for (int k = 1; k <= out.length; k++) {
            out[k - 1] = model().closedCount(k);
        }
        return out;
    }

    @Test
    void shouldRoundTripTheClosedBucketsAndStillReadVersionsOneAndTwo() throws java.io.IOException {
        for (int m = 1; m <= 70; m++) {
            onTime(now + m * MINUTE, 10 + m % 7); // 70 more minutes: every kept bucket differs from the next
        }
        long current = now + 70 * MINUTE;
        apply(current - 3 * MINUTE);
        byte[] bytes = state.toBytes();

        FunctionState restored = FunctionState.fromBytes(bytes);

        assertThat(restored.toBytes()).isEqualTo(bytes);
        TrafficSpikeModel back = restored.model(TrafficSpikeModel.SPEC);
        for (int k = 1; k <= TrafficSpikeModel.RING; k++) {
            assertThat(back.closedCount(k)).as("bucket %d back", k).isEqualTo(model().closedCount(k));
        }
        assertThat(back.closedCount(3)).isEqualTo(10 + 67 % 7 + 1);

        // the section as versions 1 and 2 wrote it: the fields of version 1, then (2) the last 6 counts as ints
        int length = ((bytes[11] & 0xff) << 8) | (bytes[12] & 0xff);
        assertThat(bytes[9]).isEqualTo((byte) TrafficSpikeModel.SPEC.stateId());
        int v1Length = length
                - 2 * TrafficSpikeModel.RING
                - 4 * 48
                - 7
                - 62
                - 28; // 28: version 4's silence CUSUM and last look
        java.io.ByteArrayOutputStream closed = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream o = new java.io.DataOutputStream(closed);
        for (int k = 1; k <= TrafficSpikeModel.LATE_BUCKETS; k++) {
            o.writeInt(model().closedCount(k));
        }
        for (int version = 1; version <= 2; version++) {
            byte[] extra = version == 1 ? new byte[0] : closed.toByteArray();
            byte[] old = new byte[bytes.length - length + v1Length + extra.length];
            System.arraycopy(bytes, 0, old, 0, 13 + v1Length);
            System.arraycopy(extra, 0, old, 13 + v1Length, extra.length);
            System.arraycopy(bytes, 13 + length, old, 13 + v1Length + extra.length, bytes.length - 13 - length);
            old[10] = (byte) version;
            old[11] = (byte) ((v1Length + extra.length) >>> 8);
            old[12] = (byte) (v1Length + extra.length);

            FunctionState read = FunctionState.fromBytes(old);

            TrafficSpikeModel oldModel = read.model(TrafficSpikeModel.SPEC);
            assertThat(oldModel.baseline(traffic)).isEqualTo(model().baseline(traffic));
            assertThat(oldModel.warmingUp(traffic)).isFalse();
            for (int k = 1; k <= TrafficSpikeModel.RING; k++) {
                int expected = version == 2 && k <= TrafficSpikeModel.LATE_BUCKETS ? model().closedCount(k) : 0;
                assertThat(oldModel.closedCount(k))
                        .as("v%d bucket %d back", version, k)
                        .isEqualTo(expected);
            }
            byte[] again = read.toBytes();
            assertThat(Arrays.copyOfRange(again, 13 + length, again.length))
                    .isEqualTo(Arrays.copyOfRange(bytes, 13 + length, bytes.length));
        }
    }

    @Test
    void shouldUseTheDefaultGraceThatTheKeptBucketsCover() {
        // an event within the grace of the newest one is at most grace/bucket whole buckets before it
        assertThat(settings.lateGraceMs())
                .isLessThanOrEqualTo((TrafficSpikeModel.LATE_BUCKETS - 1) * traffic.bucketMs());
    }
}
