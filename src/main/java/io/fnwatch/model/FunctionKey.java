package io.fnwatch.model;

import java.util.Objects;

/**
 * Identity of one function across tenants and clouds. Its string form
 * {@code tenant/provider/account/region/function} is the Kafka key of every record about it.
 * Unknown parts are written as {@code -}.
 */
public record FunctionKey(String tenant, String provider, String account, String region, String function) {

    public static final String UNKNOWN = "-";

    public FunctionKey {
        Objects.requireNonNull(function, "function");
        tenant = orUnknown(tenant);
        provider = orUnknown(provider);
        account = orUnknown(account);
        region = orUnknown(region);
    }

    public static FunctionKey of(FunctionEvent e) {
        return new FunctionKey(e.tenant(), e.provider(), e.account(), e.region(), e.function());
    }

    /** Parses the string form; the function name may itself contain '/'. */
    public static FunctionKey parse(String s) {
        String[] p = s.split("/", 5);
        if (p.length != 5) {
            throw new IllegalArgumentException("not a function key: " + s);
        }
        return new FunctionKey(p[0], p[1], p[2], p[3], p[4]);
    }

    /** The identity as named fields (unknown parts null), in the order alerts and the inventory use. */
    public java.util.Map<String, Object> fields() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("provider", provider);
        m.put("account", known(account));
        m.put("region", known(region));
        m.put("function", function);
        return m;
    }

    public String asString() {
        return tenant + '/' + provider + '/' + account + '/' + region + '/' + function;
    }

    @Override
    public String toString() {
        return asString();
    }

    private static String orUnknown(String s) {
        return s == null || s.isEmpty() ? UNKNOWN : s;
    }

    /** Returns the part or null when it is unknown. */
    public static String known(String part) {
        return UNKNOWN.equals(part) ? null : part;
    }
}
