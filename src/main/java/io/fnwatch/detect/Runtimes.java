package io.fnwatch.detect;

import java.util.Locale;

/**
 * Normalises the runtime names found in logs to the providers' runtime identifiers, prefixed by provider:
 * Lambda's {@code INIT_START} {@code python:3.9.v64} and CloudTrail's {@code python3.9} both become
 * {@code aws:python3.9}; {@code nodejs:20.v41} becomes {@code aws:nodejs20.x}; {@code provided:al2023.v5}
 * becomes {@code aws:provided.al2023}. Names already in identifier form pass through.
 */
public final class Runtimes {

    private Runtimes() {}

    public static String id(String provider, String runtime) {
        if (runtime == null || runtime.isBlank()) {
            return null;
        }
        String r = runtime.trim().toLowerCase(Locale.ROOT);
        int colon = r.indexOf(':');
        if (colon > 0 && "aws".equals(provider)) {
            String lang = r.substring(0, colon);
            String version = r.substring(colon + 1).replaceFirst("\\.v\\d+$", "");
            r = switch (lang) {
                case "nodejs" -> "nodejs" + version.replaceFirst("\\..*$", "") + ".x";
                case "provided" -> "provided." + version;
                default -> lang + version;
            };
        }
        return (provider == null ? "-" : provider) + ":" + r;
    }
}
