package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.bench.FanOutBomb;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Arbitrary stacks of envelopes (gzip, Firehose fan-outs, awslogs, arrays) around payloads of any size: every
 * record is answered within its budget, and a record over budget is one TOO_LARGE with nothing else kept.
 */
class ParseBudgetProperties {

    private static final ParserSettings SMALL =
            new ParserSettings("default", 1 << 20, 1024, 4 << 20, 1_000, 3_000, 500, 100);
    private final LogParser parser = new LogParser(SMALL);

    private record Layer(int kind, int fanOut) {}

    @Property(tries = 60)
    void shouldStayWithinTheBudgetOrRejectTheWholeRecordOnce(@ForAll("stacks") byte[] record) {
        ParseResult r = parser.parse(record);

        int outputs = r.events().size() + r.rejections().size() + r.skipped();
        assertThat(outputs).isPositive().isLessThanOrEqualTo(SMALL.maxEventsPerRecord());
        if (r.rejections().stream().anyMatch(x -> overBudget(x.detail()))) {
            assertThat(r.events()).isEmpty();
            assertThat(r.rejections()).hasSize(1);
        }
    }

    /** The budget's own words (ParseBudget.Exceeded), as opposed to a per-payload limit. */
    private static boolean overBudget(String detail) {
        return detail != null
                && (detail.startsWith("record holds more")
                        || detail.startsWith("record nests more")
                        || detail.startsWith("gzip layers of the record"));
    }

    @Provide
    Arbitrary<byte[]> stacks() {
        Arbitrary<FanOutBomb> core = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 5_000).map(FanOutBomb::subscription),
                Arbitraries.integers().between(1, 2_000).map(n -> FanOutBomb.realistic(n, n)),
                Arbitraries.integers().between(1, 8 << 20).map(FanOutBomb::blank));
        Arbitrary<Layer> layer = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 300))
                .as(Layer::new);
        return Combinators.combine(core, layer.list().ofMinSize(1).ofMaxSize(5)).as(ParseBudgetProperties::wrap);
    }

    private static byte[] wrap(FanOutBomb core, List<Layer> layers) {
        FanOutBomb b = core;
        for (Layer l : layers) {
            boolean big = b.bytesLength() > 1 << 20;
            b = switch (big ? 0 : l.kind()) {
                case 0 -> b.gzip();
                case 1 -> b.firehose(Math.max(1, Math.min(l.fanOut(), (4 << 20) / b.bytesLength())));
                case 2 -> b.awslogs();
                default -> b.gzip().awslogs().array(Math.max(1, Math.min(l.fanOut(), (4 << 20) / b.bytesLength())));
            };
        }
        return b.bytesLength() > 1 << 20 ? b.gzip().bytes() : b.bytes();
    }
}
