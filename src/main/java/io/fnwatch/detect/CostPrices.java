package io.fnwatch.detect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-demand price table of {@code detectors/cost-spike.yaml}: per provider, optionally per
 * {@code provider/region}, the price of a GB-second on x86_64 and on arm64 and the price of one request, in US
 * dollars. A function's price is its {@code provider/region} entry, else its provider's, else {@code default}'s.
 */
public record CostPrices(Map<String, Price> entries) {

    /** Dollars per GB-second (x86_64 and arm64) and per request. */
    public record Price(double gbSecond, double arm64GbSecond, double request) {}

    private static final List<String> KEYS = List.of("gbSecond", "arm64GbSecond", "request");

    /** The price of {@code provider} in {@code region} (either may be null), or null when the table has none. */
    public Price of(String provider, String region) {
        if (provider != null && region != null) {
            Price p = entries.get(provider + "/" + region);
            if (p != null) {
                return p;
            }
        }
        Price p = provider == null ? null : entries.get(provider);
        return p != null ? p : entries.get("default");
    }

    static DetectorSpec.Table table(String key) {
        return new DetectorSpec.Table(
                key,
                "provider or provider/region to {gbSecond, arm64GbSecond, request} prices in US dollars; 'default'"
                        + " for any other provider",
                CostPrices::read);
    }

    private static CostPrices read(Object raw, String where, List<String> problems) {
        Map<String, Price> out = new HashMap<>();
        if (raw == null) {
            return new CostPrices(out);
        }
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(where + ": must be a mapping of providers to {gbSecond, arm64GbSecond, request}");
            return new CostPrices(out);
        }
        m.forEach((k, v) -> {
            String name = where + ": " + k;
            if (!(v instanceof Map<?, ?> fields)) {
                problems.add(name + ": must be a mapping of gbSecond, arm64GbSecond and request");
                return;
            }
            double[] values = {Double.NaN, Double.NaN, Double.NaN};
            fields.forEach((fk, fv) -> {
                int i = KEYS.indexOf(String.valueOf(fk));
                if (i < 0) {
                    problems.add(name + ": unknown key '" + fk + "' (expected one of " + KEYS + ")");
                } else if (!(fv instanceof Number n) || !(n.doubleValue() >= 0) || n.doubleValue() > 1) {
                    problems.add(name + "." + fk + " = '" + fv + "' must be a price in dollars between 0 and 1");
                } else {
                    values[i] = n.doubleValue();
                }
            });
            if (Double.isNaN(values[0]) || Double.isNaN(values[2])) {
                problems.add(name + ": needs gbSecond and request");
                return;
            }
            out.put(
                    String.valueOf(k),
                    new Price(values[0], Double.isNaN(values[1]) ? values[0] : values[1], values[2]));
        });
        return new CostPrices(Map.copyOf(out));
    }
}
