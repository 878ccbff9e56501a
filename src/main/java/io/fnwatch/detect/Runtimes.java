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
            String version = withoutBuild(r.substring(colon + 1));
            r = switch (lang) {
                case "nodejs" -> "nodejs" + major(version) + ".x";
                case "provided" -> "provided." + version;
                default -> lang + version;
            };
        }
        return (provider == null ? "-" : provider) + ":" + r;
    }

    // Plain string code, not String.replaceFirst: this runs for every event that names its runtime (a
    // regular expression compiled per call was 3 % of a stream thread's allocation).

    /** {@code version} without a trailing {@code .v<digits>} (Lambda's build of the runtime). */
    private static String withoutBuild(String version) {
        int i = version.length();
        while (i > 0 && isDigit(version.charAt(i - 1))) {
            i--;
        }
        boolean build = i < version.length() && i >= 2 && version.charAt(i - 1) == 'v' && version.charAt(i - 2) == '.';
        return build ? version.substring(0, i - 2) : version;
    }

    /** {@code version} up to its first dot. */
    private static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
