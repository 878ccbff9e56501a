package io.fnwatch.model;

import java.util.regex.Pattern;

/**
 * What a tenant name may be: 1-64 of {@code A-Z a-z 0-9 _ -}. Tenant names become Kafka topic names
 * ({@code fnwatch-logs-raw.<tenant>}), so they must be legal there and carry no '.', which separates the
 * tenant from the base name.
 */
public final class Tenants {

    public static final int MAX_CHARS = 64;
    /** The name rule as a regular expression, for patterns that embed it. */
    public static final String REGEX = "[A-Za-z0-9_-]{1," + MAX_CHARS + "}";
    /** The rule in words, for error messages. */
    public static final String RULE = "1-" + MAX_CHARS + " of A-Z a-z 0-9 _ -";

    private static final Pattern NAME = Pattern.compile(REGEX);

    private Tenants() {}

    public static boolean isValid(String tenant) {
        return tenant != null && NAME.matcher(tenant).matches();
    }

    public static String requireValid(String tenant) {
        if (!isValid(tenant)) {
            throw new IllegalArgumentException("tenant must be " + RULE + " (it names a topic): " + tenant);
        }
        return tenant;
    }
}
