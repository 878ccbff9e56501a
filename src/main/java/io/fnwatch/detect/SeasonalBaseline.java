package io.fnwatch.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.ZoneId;

/**
 * The expected value of a series at time t and how far it strays: {@code E(t) = L · hour[h(t)] · day[d(t)]}
 * ({@link SeasonalProfile}), with L an exponentially weighted level of the deseasonalised values (weight α) and
 * σ² the exponentially weighted variance of {@code x − E}. Each learning step can be given a weight in
 * [0, 1] (how much the caller trusts the observation), may leave σ² alone (an anomalous observation should
 * not widen its own band), and counts each error towards σ² only up to a cap (a ramp should not either). The traffic detector learns invocation counts per bucket with it; the NAB runner
 * learns arbitrary metric values with it. About 160 bytes of state.
 */
public final class SeasonalBaseline {

    private double level;
    private double var;
    private long seen;
    private final SeasonalProfile season = new SeasonalProfile();

    public double expected(long t, ZoneId zone) {
        return level * season.factor(SeasonalProfile.slot(t, zone));
    }

    /** The seasonal factor {@code hour[h(t)] · day[d(t)]} of time t (mean 1 over the week). */
    public double factor(long t, ZoneId zone) {
        return season.factor(SeasonalProfile.slot(t, zone));
    }

    public double variance() {
        return var;
    }

    public double level() {
        return level;
    }

    public long seen() {
        return seen;
    }

    /**
     * Learns observation {@code x} at time {@code t}.
     *
     * @param weight trust in the observation, scaling every learning rate (1 = normal)
     * @param learnVariance false for observations judged anomalous
     * @param maxError the error {@code x − E} counts at most this much towards σ² (winsorised)
     */
    public void learn(
            long t,
            ZoneId zone,
            double x,
            double alpha,
            double hourAlpha,
            double dayAlpha,
            double weight,
            boolean learnVariance,
            double maxError) {
        int slot = SeasonalProfile.slot(t, zone);
        double factor = season.factor(slot);
        if (seen++ == 0) {
            level = x / factor;
            return;
        }
        if (learnVariance) {
            double err = Math.min(Math.abs(x - level * factor), maxError);
            var = (1 - alpha) * (var + alpha * err * err);
        }
        level += weight * alpha * (x / factor - level);
        season.learn(slot, x, level, weight * hourAlpha, weight * dayAlpha);
    }

    /**
     * Adds {@code delta} to an observation already learned at time {@code t}, through the level only: the level
     * moves by {@code rate·delta/season(t)}, the caller passing as {@code rate} what that observation's weight
     * is worth now (α·weight·(1−α)^k after k later steps). The variance and the seasonal factors keep what they
     * learned: a late correction of a few calls is too small to be worth replaying them.
     */
    public void amend(long t, ZoneId zone, double delta, double rate) {
        if (seen == 0 || delta == 0) {
            return;
        }
        level += rate * delta / season.factor(SeasonalProfile.slot(t, zone));
    }

    void write(DataOutput o) throws IOException {
        o.writeDouble(level);
        o.writeDouble(var);
        o.writeLong(seen);
        season.write(o);
    }

    void read(DataInput in) throws IOException {
        level = in.readDouble();
        var = in.readDouble();
        seen = in.readLong();
        season.read(in);
    }
}
