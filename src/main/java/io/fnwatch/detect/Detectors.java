package io.fnwatch.detect;

import io.fnwatch.model.EventKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The registered detectors, in the order they see each event. {@link #ALL} is the production list: adding a
 * detector is its class, its {@code detectors/<file>.yaml} and one line here (docs/contributing.md).
 *
 * <p>State ids in use: 1 to 9. A removed detector's id stays retired (state written before the removal may
 * still hold its section); list it here when that happens.
 */
public final class Detectors implements Iterable<DetectorSpec<?, ?>> {

    public static final Detectors ALL = new Detectors(List.of(
            TrafficSpikeModel.SPEC,
            DurationModel.SPEC,
            DenialBurstModel.SPEC,
            StaleFunctionModel.SPEC,
            SecretLeakModel.SPEC,
            ErrorBurstModel.SPEC,
            CostSpikeModel.SPEC,
            ConcurrencyModel.SPEC,
            MetricAnomalyDetector.SPEC));

    private final DetectorSpec<?, ?>[] specs;
    /**
     * Position by state id (-1: none). Models and settings are looked up by spec several times per event; a scan
     * of the list for each was 2.5 % of the stream thread.
     */
    private final int[] byStateId = new int[256];
    /** Per position, a bit per {@link EventKind} ordinal the detector reads ({@link DetectorSpec#events}). */
    private final int[] eventBits;

    public Detectors(List<DetectorSpec<?, ?>> specs) {
        Set<String> files = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        for (DetectorSpec<?, ?> s : specs) {
            if (!files.add(s.file())) {
                throw new IllegalArgumentException("two detectors read " + s.file() + ".yaml");
            }
            if (s.stateId() < 1 || s.stateId() > 255 || !ids.add(s.stateId())) {
                throw new IllegalArgumentException(
                        s.file() + ": state id " + s.stateId() + " is taken or outside 1..255");
            }
            if (s.stateVersion() < 1 || s.stateVersion() > 255) {
                throw new IllegalArgumentException(s.file() + ": state version outside 1..255");
            }
            if (s.types().isEmpty()) {
                throw new IllegalArgumentException(s.file() + ": raises no alert type");
            }
        }
        this.specs = specs.toArray(new DetectorSpec<?, ?>[0]);
        Arrays.fill(byStateId, -1);
        eventBits = new int[this.specs.length];
        for (int i = 0; i < this.specs.length; i++) {
            byStateId[this.specs[i].stateId()] = i;
            eventBits[i] = bits(this.specs[i].events());
        }
    }

    /** This list with {@code spec} appended (tests register detectors that production does not ship). */
    public Detectors plus(DetectorSpec<?, ?> spec) {
        List<DetectorSpec<?, ?>> more = new ArrayList<>(list());
        more.add(spec);
        return new Detectors(more);
    }

    public List<DetectorSpec<?, ?>> list() {
        return List.of(specs);
    }

    public int size() {
        return specs.length;
    }

    public DetectorSpec<?, ?> get(int i) {
        return specs[i];
    }

    /** Position of {@code spec} (the same object) in this list, or -1. */
    public int indexOf(DetectorSpec<?, ?> spec) {
        int i = indexOfStateId(spec.stateId());
        return i >= 0 && specs[i] == spec ? i : -1;
    }

    /** Position of the detector whose state section is {@code stateId}, or -1. */
    int indexOfStateId(int stateId) {
        return stateId >= 0 && stateId < byStateId.length ? byStateId[stateId] : -1;
    }

    @Override
    public Iterator<DetectorSpec<?, ?>> iterator() {
        return list().iterator();
    }

    @Override
    public String toString() {
        return list().stream().map(DetectorSpec::file).toList().toString();
    }

    private static int bits(Set<EventKind> kinds) {
        if (kinds == null) {
            return -1;
        }
        int b = 0;
        for (EventKind k : kinds) {
            b |= 1 << k.ordinal();
        }
        return b;
    }

    /** The bit of {@code kind} for {@link #reads} (every bit for an event without a kind). */
    static int eventBit(EventKind kind) {
        return kind == null ? -1 : 1 << kind.ordinal();
    }

    /** Whether the detector at {@code i} reads events of the kind of {@code eventBit}. */
    boolean reads(int i, int eventBit) {
        return (eventBits[i] & eventBit) != 0;
    }
}
