package io.fnwatch.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;

/**
 * Multiplicative hour-of-day and day-of-week factors of one function's activity, in local time of a
 * configurable zone (so a daylight-saving change moves the expected rhythm with the clock, not an hour off).
 *
 * <p>Expected value at time t = {@code level · hour[h(t)] · day[d(t)]}. After each observation {@code x}
 * with level L: {@code hour[h] += β·(x/(L·day[d]) − hour[h])}, {@code day[d] += γ·(x/(L·hour[h]) − day[d])},
 * each clamped to [0.02, 50] and renormalised to mean 1 so the level keeps its meaning. 31 floats of state.
 */
final class SeasonalProfile {

    private static final float MIN = 0.02f;
    private static final float MAX = 50f;

    private final float[] hour = new float[24];
    private final float[] day = new float[7];

    SeasonalProfile() {
        Arrays.fill(hour, 1f);
        Arrays.fill(day, 1f);
    }

    /** Local hour (0–23) times 8 plus local day of week (Monday = 0). */
    static int slot(long t, ZoneId zone) {
        if (zone == ZoneOffset.UTC || "UTC".equals(zone.getId()) || "Z".equals(zone.getId())) {
            long hours = Math.floorDiv(t, 3_600_000L);
            long days = Math.floorDiv(t, 86_400_000L);
            return (int) Math.floorMod(hours, 24) * 8 + (int) Math.floorMod(days + 3, 7);
        }
        ZonedDateTime local = Instant.ofEpochMilli(t).atZone(zone);
        return local.getHour() * 8 + local.getDayOfWeek().getValue() - 1;
    }

    double factor(int slot) {
        return (double) hour[slot >> 3] * day[slot & 7];
    }

    void learn(int slot, double observed, double level, double beta, double gamma) {
        if (level <= 1e-9) {
            return;
        }
        int h = slot >> 3;
        int d = slot & 7;
        hour[h] = clamp(hour[h] + (float) (beta * (observed / (level * day[d]) - hour[h])));
        day[d] = clamp(day[d] + (float) (gamma * (observed / (level * hour[h]) - day[d])));
        normalise(hour);
        normalise(day);
    }

    private static float clamp(float v) {
        return Math.max(MIN, Math.min(MAX, v));
    }

    private static void normalise(float[] f) {
        double sum = 0;
        for (float v : f) {
            sum += v;
        }
        float scale = (float) (f.length / sum);
        for (int i = 0; i < f.length; i++) {
            f[i] *= scale;
        }
    }

    void write(DataOutput o) throws IOException {
        for (float v : hour) {
            o.writeFloat(v);
        }
        for (float v : day) {
            o.writeFloat(v);
        }
    }

    void read(DataInput in) throws IOException {
        for (int i = 0; i < hour.length; i++) {
            hour[i] = in.readFloat();
        }
        for (int i = 0; i < day.length; i++) {
            day[i] = in.readFloat();
        }
    }
}
