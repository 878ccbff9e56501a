package io.fnwatch.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few most frequent values of one field (actions, resources, principals) during an episode, in bounded
 * space: when full, a new value replaces the least frequent one and inherits its count (Space-Saving), so
 * the counts are upper bounds and the heavy hitters are never lost.
 */
final class TopCounts {

    private final int capacity;
    private final List<String> values;
    private final List<Integer> counts;

    TopCounts(int capacity) {
        this.capacity = capacity;
        this.values = new ArrayList<>(capacity);
        this.counts = new ArrayList<>(capacity);
    }

    void add(String value) {
        if (value == null) {
            return;
        }
        int i = values.indexOf(value);
        if (i >= 0) {
            counts.set(i, counts.get(i) + 1);
        } else if (values.size() < capacity) {
            values.add(value);
            counts.add(1);
        } else {
            int min = 0;
            for (int k = 1; k < counts.size(); k++) {
                min = counts.get(k) < counts.get(min) ? k : min;
            }
            values.set(min, value);
            counts.set(min, counts.get(min) + 1);
        }
    }

    void clear() {
        values.clear();
        counts.clear();
    }

    /** Values by descending count. */
    Map<String, Integer> top() {
        Map<String, Integer> out = new LinkedHashMap<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> counts.get(b) - counts.get(a));
        order.forEach(i -> out.put(values.get(i), counts.get(i)));
        return out;
    }

    String first() {
        return top().keySet().stream().findFirst().orElse(null);
    }

    void write(DataOutput o) throws IOException {
        o.writeByte(values.size());
        for (int i = 0; i < values.size(); i++) {
            o.writeUTF(values.get(i));
            o.writeInt(counts.get(i));
        }
    }

    void read(DataInput in) throws IOException {
        clear();
        int n = in.readByte();
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
            counts.add(in.readInt());
        }
    }
}
