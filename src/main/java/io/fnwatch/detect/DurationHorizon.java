package io.fnwatch.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Tallies of the last {@code SLOTS} duration windows — samples, samples above the usual median and above the
 * usual p95, timeouts, invocations — so a function too quiet to fill one window still gets judged: an hour of a
 * function that runs once a minute is sixty samples. Fixed size: 12 slots of five counters.
 */
final class DurationHorizon {

    static final int SLOTS = 12;

    private final int[][] slots = new int[SLOTS][5];
    private int next;

    /** Records a closed window (or an empty one) as the newest slot, dropping the oldest. */
    void push(int samples, int aboveMedian, int aboveP95, int timeouts, int invocations) {
        int[] s = slots[next];
        s[0] = samples;
        s[1] = aboveMedian;
        s[2] = aboveP95;
        s[3] = timeouts;
        s[4] = invocations;
        next = (next + 1) % SLOTS;
    }

    /** The sum of column {@code i} over the slots. */
    int sum(int i) {
        int total = 0;
        for (int[] s : slots) {
            total += s[i];
        }
        return total;
    }

    void write(DataOutput o) throws IOException {
        o.writeByte(next);
        for (int[] s : slots) {
            for (int v : s) {
                o.writeShort(Math.min(v, Short.MAX_VALUE));
            }
        }
    }

    void read(DataInput in) throws IOException {
        next = in.readByte();
        for (int[] s : slots) {
            for (int k = 0; k < s.length; k++) {
                s[k] = in.readShort();
            }
        }
    }
}
