package io.fnwatch.parse.mask;

import java.util.Locale;
import java.util.Set;

/**
 * What stands where a secret's value could, but names or points to one instead: ARNs and URNs (whose parts
 * read like {@code secret:prod/db-password}), references to where the secret is kept ({@code ${DB_PASSWORD}},
 * {@code process.env.TOKEN}, {@code ssm:/prod/db/password}), placeholders ({@code ***}, {@code xxxx},
 * {@code ***REDACTED***}), numbers, and names of secrets ({@code x-api-key}, {@code DB_PASSWORD},
 * {@code /prod/db/password}). Each test reads the value once and only values that follow a secret's name
 * are tested, so the masking stays linear.
 */
final class Names {

    private static final int MAX_NAME_VALUE = 128;
    /** Digits of a number kept under a secret's name: counts, TTLs, epoch seconds; longer runs may be keys. */
    private static final int MAX_NUMBER = 10;

    /** Prefixes of references: template and environment lookups, secret stores, infrastructure-as-code. */
    private static final String[] REFERENCES = {
        "${",
        "$(",
        "{{",
        "%(",
        "process.env",
        "os.environ",
        "os.getenv",
        "System.getenv",
        "Environment.GetEnvironmentVariable",
        "Deno.env",
        "import.meta.env",
        "ENV[",
        "ENV.fetch",
        "env.",
        "env:",
        "secrets.",
        "vars.",
        "ssm:",
        "ssm-secure:",
        "secretsmanager:",
        "vault:",
        "file:",
        "resolve:",
        "arn:",
        "urn:",
        "!Ref",
        "!Sub",
        "!GetAtt",
        "@Microsoft.KeyVault(",
        "projects/"
    };

    /** Components that make a name-shaped value the name of a secret ({@code db_password}, {@code x-api-key}). */
    private static final Set<String> SECRET_PARTS = Set.of(
            "password",
            "passwd",
            "passphrase",
            "pwd",
            "secret",
            "secrets",
            "token",
            "tokens",
            "key",
            "keys",
            "apikey",
            "credential",
            "credentials",
            "creds",
            "auth",
            "authorization");

    /** Placeholder words once punctuation is dropped: {@code ***REDACTED***}, {@code -masked-}. */
    private static final Set<String> PLACEHOLDER_WORDS =
            Set.of("redacted", "masked", "hidden", "removed", "omitted", "filtered", "sanitized", "sensitive");

    private Names() {}

    /** {@code arn:} or {@code urn:} starts a name at {@code s} (a word boundary) and a letter or {@code $} follows. */
    static boolean arnAt(String d, int s) {
        return (d.regionMatches(true, s, "arn", 0, 3) || d.regionMatches(true, s, "urn", 0, 3))
                && s + 4 < d.length()
                && (Chars.letter(d.charAt(s + 4)) || d.charAt(s + 4) == '$');
    }

    /** The end of the ARN whose first colon is at {@code colon}: the next white space, quote or delimiter. */
    static int arnEnd(String d, int colon) {
        int k = colon;
        while (k < d.length() && !arnStop(d.charAt(k))) {
            k++;
        }
        return k;
    }

    private static boolean arnStop(char c) {
        return Chars.space(c)
                || Chars.quote(c)
                || c == ','
                || c == ';'
                || c == ')'
                || c == ']'
                || c == '}'
                || c == '<'
                || c == '>'
                || c == '|'
                || c == '&'
                || c == '?' // a query: arn:aws:s3:::b/k?X-Amz-Security-Token=... holds a value
                || c == '\\';
    }

    /** Digits, perhaps signed, with a decimal part or a unit of time ({@code 3600}, {@code -1}, {@code 2.5}, {@code 30s}). */
    static boolean number(String d, int v, int end) {
        if (end - v > MAX_NUMBER) {
            return false;
        }
        int k = v;
        if (k < end && (d.charAt(k) == '-' || d.charAt(k) == '+')) {
            k++;
        }
        int digits = k;
        while (k < end && (Chars.digit(d.charAt(k)) || d.charAt(k) == '.' && k > digits)) {
            k++;
        }
        if (k == digits) {
            return false;
        }
        String unit = d.substring(k, end);
        return unit.isEmpty()
                || unit.equals("ms")
                || unit.equals("s")
                || unit.equals("m")
                || unit.equals("h")
                || unit.equals("d");
    }

    /** Whether the name [s, e) names a password, whose value may well be all digits. */
    static boolean passwordName(String d, int s, int e) {
        String n = d.substring(s, e).toLowerCase(Locale.ROOT);
        return n.endsWith("password")
                || n.endsWith("passwd")
                || n.endsWith("passphrase")
                || n.endsWith("pwd")
                || n.endsWith("pass")
                || n.endsWith("pin");
    }

    /** Filler that stands for a hidden value: {@code ***}, {@code xxxx}, {@code ...}, {@code %s}, {@code ***REDACTED***}. */
    static boolean placeholder(String d, int v, int end) {
        if (end - v > MAX_NAME_VALUE) {
            return false;
        }
        boolean allFiller = true;
        boolean allX = end - v >= 3;
        StringBuilder letters = null;
        for (int k = v; k < end; k++) {
            char c = d.charAt(k);
            allX &= c == 'x' || c == 'X';
            if (Chars.alnum(c)) {
                allFiller = false;
                if (letters == null) {
                    letters = new StringBuilder(end - v);
                }
                letters.append(Character.toLowerCase(c));
            } else if ("*.#-_?~\u2022\u2026".indexOf(c) < 0) {
                allFiller = false;
            }
        }
        if (allFiller || allX) {
            return true;
        }
        String s = d.substring(v, end);
        if (s.equals("%s") || s.equals("%d") || s.equals("%v") || s.equals("{}") || s.equals("?")) {
            return true;
        }
        return letters != null && letters.length() < end - v && PLACEHOLDER_WORDS.contains(letters.toString());
    }

    /**
     * A reference to where the secret is kept, not the secret: a template, an environment lookup, a secret
     * store's path, a shell variable ({@code $DB_PASSWORD}) or a bind parameter ({@code :password}).
     */
    static boolean reference(String d, int v, int end) {
        for (String r : REFERENCES) {
            if (d.startsWith(r, v)) {
                return true;
            }
        }
        char first = d.charAt(v);
        if (end - v < 3 || end - v > MAX_NAME_VALUE) {
            return false;
        }
        // "$DB_PASSWORD", a shell variable; ":password", a bind parameter. Not "$ecret_pw" nor ":Ab3x": passwords
        // that start with '$' or ':' are common enough, and their rest is no such name
        return first == '$' && upperSnake(d, v + 1, end) || first == ':' && lowerWord(d, v + 1, end);
    }

    /**
     * A name in one of the usual conventions — {@code lower_snake}, {@code kebab-case}, {@code dotted.name},
     * {@code /path/like/this}, {@code UPPER_SNAKE} — with a component that names a secret: {@code x-api-key},
     * {@code DB_PASSWORD}, {@code /prod/db/password}. Components are letters first, so a human password like
     * {@code password-123} or {@code Secret_2024} is no name.
     */
    static boolean nameOfASecret(String d, int v, int end) {
        if (end - v > MAX_NAME_VALUE || end - v < 3) {
            return false;
        }
        boolean lower = d.charAt(v) == '/' || Chars.lowerLetter(d.charAt(v));
        boolean upper = Chars.upper(d.charAt(v));
        if (!lower && !upper) {
            return false;
        }
        boolean separated = false;
        boolean secretPart = false;
        int part = d.charAt(v) == '/' ? v + 1 : v;
        for (int k = part; k <= end; k++) {
            char c = k < end ? d.charAt(k) : '_'; // the end closes the last component
            boolean sep = upper ? c == '_' : c == '_' || c == '-' || c == '.' || c == '/';
            if (sep) {
                if (k == part) {
                    if (k == end) {
                        break; // a trailing slash
                    }
                    return false; // two separators in a row
                }
                if (!Chars.letter(d.charAt(part))) {
                    return false;
                }
                secretPart |= SECRET_PARTS.contains(d.substring(part, k).toLowerCase(Locale.ROOT));
                if (k < end) {
                    separated = true;
                }
                part = k + 1;
            } else if (!(upper ? Chars.upper(c) || Chars.digit(c) : Chars.lowerLetter(c) || Chars.digit(c))) {
                return false;
            }
        }
        if (!separated || !secretPart) {
            return false;
        }
        // kebab-case is how people write passphrases and weak defaults ("my-secret-key"): of it, only header
        // names ("x-api-key") are names; snake_case, dotted, paths and UPPER_SNAKE are how identifiers look
        return upper || !kebabOnly(d, v, end) || d.regionMatches(true, v, "x-", 0, 2);
    }

    private static boolean kebabOnly(String d, int v, int end) {
        for (int k = v; k < end; k++) {
            char c = d.charAt(k);
            if (c == '_' || c == '.' || c == '/') {
                return false;
            }
        }
        return true;
    }

    private static boolean upperSnake(String d, int v, int end) {
        for (int k = v; k < end; k++) {
            char c = d.charAt(k);
            if (!Chars.upper(c) && !Chars.digit(c) && c != '_') {
                return false;
            }
        }
        return Chars.upper(d.charAt(v));
    }

    private static boolean lowerWord(String d, int v, int end) {
        for (int k = v; k < end; k++) {
            char c = d.charAt(k);
            if (!Chars.lowerLetter(c) && c != '_') {
                return false;
            }
        }
        return true;
    }
}
