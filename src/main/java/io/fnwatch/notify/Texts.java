package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.FunctionKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Small text helpers the sinks share: numbers for people, cut strings, console links. */
final class Texts {

    private Texts() {}

    /** Whole numbers without decimals, others with at most two. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        return v == Math.rint(v) && Math.abs(v) < 1e12
                ? String.valueOf((long) v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    /** At most {@code max} characters, with an ellipsis when cut (never splits a surrogate pair). */
    static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }

    /**
     * The console link of {@code a}'s function: {@code template} with {@code {tenant}}, {@code {provider}},
     * {@code {account}}, {@code {region}}, {@code {function}} and {@code {key}} replaced by their URL-encoded
     * values; null without a template.
     */
    static String consoleUrl(String template, Alert a) {
        if (template == null || template.isEmpty()) {
            return null;
        }
        FunctionKey k = a.key();
        return template.replace("{tenant}", enc(k.tenant()))
                .replace("{provider}", enc(k.provider()))
                .replace("{account}", enc(k.account()))
                .replace("{region}", enc(k.region()))
                .replace("{function}", enc(k.function()))
                .replace("{key}", enc(k.asString()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * {@code uri} for logs: scheme, host, port and path, without user info or query, which may carry tokens.
     */
    static String safe(java.net.URI uri) {
        if (uri == null) {
            return "null";
        }
        boolean hidden = uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null;
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath();
        return uri.getScheme() + "://" + uri.getHost() + port + path + (hidden ? " (user info and query hidden)" : "");
    }

    /** The alert's function and where it runs, unknown parts left out: {@code orders-api (aws 1234 us-east-1)}. */
    static String where(Alert a) {
        StringBuilder s = new StringBuilder(a.function()).append(" (").append(a.provider());
        if (a.account() != null) {
            s.append(' ').append(a.account());
        }
        if (a.region() != null) {
            s.append(' ').append(a.region());
        }
        return s.append(", tenant ").append(a.tenant()).append(')').toString();
    }
}
