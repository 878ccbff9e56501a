package io.fnwatch.parse.mask;

import java.util.Locale;
import java.util.Set;

/**
 * Values logged under a secret's name: {@code password=x}, {@code "apiToken": "x"}, {@code DB_PASSWORD: x},
 * {@code "password"=>"x"} (Ruby), {@code [password] => x} (PHP), {@code Authorization: Basic x},
 * {@code "Authorization":["Bearer x"]}. A name counts when it ends in a secret word at a camelCase, snake_case,
 * kebab-case or dotted boundary (or glued: {@code dbpassword}); the separator may be {@code =}, {@code :},
 * {@code =>} or {@code :=} with any white space around it. Names alone are never masked ("the token expired",
 * "missing api_key parameter"), nor values that are placeholders ({@code null}, {@code ***}) or names
 * ({@code arn:...}). Linear: each name (its last 64 characters) and each value is read once.
 */
final class KeyedValues {

    private static final int MAX_NAME = 64;
    /** How far a quoted value's closing quote is looked for; past it the value is read as unquoted. */
    private static final int MAX_QUOTED = 1024;

    /** Suffixes of a normalized name (lower case, separators removed) that make it a secret's name. */
    private static final String[] SECRET_WORDS = {
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "accesskey",
        "privatekey",
        "secretkey",
        "masterkey",
        "signingkey",
        "encryptionkey",
        "subscriptionkey",
        "accountkey",
        "sharedaccesskey",
        "authkey",
        "clientkey",
        "authorization",
        "credential",
        "credentials",
        "xamzsignature"
    };

    static {
        // the longest word decides the kind: "sharedaccesskey" before "accesskey"
        java.util.Arrays.sort(SECRET_WORDS, (a, b) -> b.length() - a.length());
    }

    /** Names that are secret words only as a whole name (too short or too common as suffixes). */
    private static final Set<String> EXACT_WORDS = Set.of("pwd", "sig", "creds", "dbpass", "apiauth");

    /** Names ending in a secret word that name something public (pagination and idempotency tokens). */
    private static final Set<String> NOT_SECRET = Set.of(
            "nexttoken",
            "pagetoken",
            "paginationtoken",
            "continuationtoken",
            "synctoken",
            "idempotencytoken",
            "clienttoken",
            "cancellationtoken",
            "nextpagetoken",
            "resumptiontoken",
            "csrftokenname",
            "tokenizer");

    private static final Set<String> PLACEHOLDERS = Set.of(
            "null",
            "none",
            "nil",
            "undefined",
            "true",
            "false",
            "redacted",
            "masked",
            "hidden",
            "n/a",
            "na",
            "empty",
            "required",
            "missing",
            "invalid",
            "expired",
            "set",
            "unset",
            "present",
            "absent",
            "provided",
            "yes",
            "no",
            // types in signatures and schemas ("password: str", "apiKey: String")
            "str",
            "string",
            "int",
            "bool",
            "boolean",
            "bytes",
            "object",
            "any",
            "optional",
            // prose: the name is the subject of a sentence ("x-api-key: header missing", "token: not found")
            "header",
            "field",
            "param",
            "parameter",
            "attribute",
            "value",
            "not",
            "is",
            "was",
            "the",
            "must",
            "should",
            "cannot",
            "has",
            "for",
            "from",
            "with",
            "and",
            "or");

    /** Phrases that say there is no value: one of the first words, then one of the second. */
    private static final Set<String> PHRASE_FIRST = Set.of("not", "none", "no", "unset", "missing", "empty", "null");

    private static final Set<String> PHRASE_SECOND = Set.of(
            "set",
            "given",
            "provided",
            "value",
            "configured",
            "available",
            "found",
            "defined",
            "specified",
            "supplied",
            "present",
            "required",
            "in",
            "from",
            "for",
            "yet");

    private static final Set<String> AUTH_SCHEMES = Set.of(
            "bearer",
            "basic",
            "token",
            "digest",
            "negotiate",
            "ntlm",
            "apikey",
            "aws4-hmac-sha256",
            "hmac",
            "sso-key",
            "key",
            "dpop",
            "mac",
            "oauth",
            "splunk",
            "ssws",
            "klaviyo-api-key");

    private KeyedValues() {}

    /**
     * Literals one of which every secret name holds, in lower case; a text with none of them is not scanned,
     * so ordinary lines cost one lower-casing and a few {@code indexOf} calls here.
     */
    private static final String[] TRIGGERS = {"ass", "ecret", "oken", "key", "pwd", "sig", "uth", "redential", "creds"};

    static boolean triggered(String d) {
        String lower = d.toLowerCase(Locale.ROOT);
        for (String t : TRIGGERS) {
            if (lower.indexOf(t) >= 0) {
                return true;
            }
        }
        return false;
    }

    static void scan(String d, Marks marks) {
        if (!triggered(d)) {
            return;
        }
        scanAll(d, marks);
    }

    static void scanAll(String d, Marks marks) {
        int n = d.length();
        int i = 0;
        int arnEnd = -1; // the end of the ARN being read: its parts are names ("...:secret:prod/db-password")
        while (i < n) {
            if (!nameChar(d.charAt(i))) {
                i++;
                continue;
            }
            int s = i;
            while (i < n && nameChar(d.charAt(i))) {
                i++;
            }
            if (s >= arnEnd && i - s == 3 && i < n && d.charAt(i) == ':' && Names.arnAt(d, s)) {
                arnEnd = Names.arnEnd(d, i);
            }
            if (s < arnEnd) {
                continue; // arn:aws:secretsmanager:...:secret:name names a secret, it is not one
            }
            int v = separated(d, i); // cheap test first: most words are not followed by = or :
            if (v < 0) {
                continue;
            }
            Kind kind = nameKind(d, s, i);
            if (kind != null) {
                int after = value(d, s, i, v, kind, marks);
                if (after > i) {
                    i = after;
                }
            }
        }
    }

    private static boolean nameChar(char c) {
        return Chars.name(c);
    }

    /** The kind of secret a name [s, e) announces, or null. Reads at most the last {@link #MAX_NAME} chars. */
    static Kind nameKind(String d, int s, int e) {
        int from = Math.max(s, e - MAX_NAME);
        int last = e - 1;
        while (last >= from && !Chars.alnum(d.charAt(last))) {
            last--;
        }
        if (last < from || "detnylsgh".indexOf(Character.toLowerCase(d.charAt(last))) < 0) {
            return null; // no secret word ends in another letter: most names stop here
        }
        StringBuilder norm = new StringBuilder(e - from);
        for (int k = from; k <= last; k++) {
            char c = d.charAt(k);
            if (Chars.alnum(c)) {
                norm.append(Character.toLowerCase(c));
            }
        }
        String name = norm.toString();
        if (EXACT_WORDS.contains(name)) {
            return name.equals("sig") ? Kind.AZURE_SAS_SIGNATURE : Kind.SECRET_PAIR;
        }
        for (String w : SECRET_WORDS) {
            if (!name.endsWith(w)) {
                continue;
            }
            if (endsWithNotSecret(name)) {
                return null;
            }
            return switch (w) {
                case "authorization" -> Kind.AUTHORIZATION_HEADER;
                case "accountkey", "sharedaccesskey" -> Kind.AZURE_STORAGE_KEY;
                default ->
                    name.endsWith("secretaccesskey") || name.equals("secretkey") || name.equals("awssecretkey")
                            ? Kind.AWS_SECRET_ACCESS_KEY
                            : Kind.SECRET_PAIR;
            };
        }
        return null;
    }

    private static boolean endsWithNotSecret(String name) {
        for (String ns : NOT_SECRET) {
            if (name.endsWith(ns)) {
                return true;
            }
        }
        return false;
    }

    /** Where the value after the name ending at {@code e} starts (past separator, brackets, quote), or -1. */
    private static int separated(String d, int e) {
        int n = d.length();
        int p = e;
        if (p < n && Chars.quote(d.charAt(p))) {
            p++;
        }
        if (p < n && d.charAt(p) == ']') {
            p++;
        }
        p = skipSpace(d, p);
        if (p >= n) {
            return -1;
        }
        char c = d.charAt(p);
        if (c == '=') {
            p += p + 1 < n && d.charAt(p + 1) == '>' ? 2 : 1;
        } else if (c == ':') {
            if (d.startsWith("//", p + 1)) {
                return -1; // a URL scheme, not a separator
            }
            p += p + 1 < n && d.charAt(p + 1) == '=' ? 2 : 1;
        } else {
            return -1;
        }
        p = skipSpace(d, p);
        if (p < n && (d.charAt(p) == '[' || d.charAt(p) == '(') && !d.startsWith("[REDACTED", p)) {
            p = skipSpace(d, p + 1);
        }
        if (p >= n || d.startsWith("[REDACTED", p)) {
            return -1;
        }
        return p;
    }

    /** Reads the value starting at {@code p} (perhaps a quote) after a secret's name; marks it; returns its end. */
    private static int value(String d, int s, int e, int p, Kind kind, Marks marks) {
        int n = d.length();
        char q = d.charAt(p);
        boolean quoted = Chars.quote(q);
        int v = quoted ? p + 1 : p;
        boolean toLineEnd = false;
        if (kind == Kind.AUTHORIZATION_HEADER) {
            int w = afterScheme(d, v);
            // Digest and SigV4 credentials are lists of parameters: all of them are masked
            toLineEnd = w > v && (d.regionMatches(true, v, "digest", 0, 6) || d.regionMatches(true, v, "aws4", 0, 4));
            v = w;
        }
        int end = quoted ? closing(d, v, q) : -1;
        if (end < 0 && toLineEnd) {
            end = v;
            while (end < n && d.charAt(end) != '\n' && d.charAt(end) != '\r') {
                end++;
            }
        }
        if (end < 0) {
            end = v;
            while (end < n && !endsBare(d.charAt(end))) { // unbounded: a long value is masked whole
                end++;
            }
        }
        if (end <= v
                || !secretValue(d, s, e, v, end)
                || !quoted && kind != Kind.AUTHORIZATION_HEADER && nextPair(d, p, v, end)) {
            return end;
        }
        if (kind == Kind.AWS_SECRET_ACCESS_KEY && !awsSecretShape(d, v, end)) {
            kind = Kind.SECRET_PAIR;
        }
        marks.mark(v, end, kind);
        return end;
    }

    /**
     * An empty value followed by the next pair, {@code AWS_SESSION_TOKEN= AWS_REGION=us-east-1}: after white
     * space, a name and {@code =} with more than padding behind it (base64 has {@code =} only at its end).
     */
    private static boolean nextPair(String d, int p, int v, int end) {
        if (p == 0 || !Chars.space(d.charAt(p - 1)) || !Chars.letter(d.charAt(v))) {
            return false;
        }
        int k = v;
        while (k < end && (Chars.alnum(d.charAt(k)) || d.charAt(k) == '_' || d.charAt(k) == '.')) {
            k++;
        }
        return k < end - 1 && d.charAt(k) == '=' && d.charAt(k + 1) != '=';
    }

    private static int skipSpace(String d, int p) {
        while (p < d.length() && Chars.space(d.charAt(p))) {
            p++;
        }
        return p;
    }

    /** After {@code Bearer }, {@code Basic } and the like: the scheme names no secret and stays readable. */
    private static int afterScheme(String d, int v) {
        int w = v;
        while (w < d.length() && w - v < 20 && (Chars.alnum(d.charAt(w)) || d.charAt(w) == '-')) {
            w++;
        }
        if (w > v
                && w < d.length()
                && Chars.space(d.charAt(w))
                && AUTH_SCHEMES.contains(d.substring(v, w).toLowerCase(Locale.ROOT))) {
            return skipSpace(d, w);
        }
        return v;
    }

    /** The closing quote of a quoted value on the same line, within the value bound; -1 if none. */
    private static int closing(String d, int v, char q) {
        int stop = Math.min(d.length(), v + MAX_QUOTED);
        for (int k = v; k < stop; k++) {
            char c = d.charAt(k);
            if (c == q) {
                return k;
            }
            if (c == '\n' || c == '\r') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean endsBare(char c) {
        return Chars.space(c)
                || Chars.quote(c)
                || c == '&'
                || c == ','
                || c == ';'
                || c == '}'
                || c == ']'
                || c == '<'
                || c == '>';
    }

    /**
     * False for what stands where a secret could but is none: structures, placeholders, references to where
     * the secret is kept, numbers, and names (see {@link Names}).
     */
    private static boolean secretValue(String d, int s, int e, int v, int end) {
        char first = d.charAt(v);
        if (first == '{' || first == '[' || first == '<') {
            return false;
        }
        if (end - v <= 12 && PLACEHOLDERS.contains(d.substring(v, end).toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (noValuePhrase(d, v, end)) {
            return false; // "not set", "none given"; but "no purple falcon" is a passphrase
        }
        if (first == '/' && e - s == 3 && d.substring(s, e).equalsIgnoreCase("pwd")) {
            return false; // $PWD: a working directory
        }
        if (Names.number(d, v, end)) {
            return Names.passwordName(d, s, e); // a count, a TTL, an id; but "password=123456" is a password
        }
        return !Names.placeholder(d, v, end) && !Names.reference(d, v, end) && !Names.nameOfASecret(d, v, end);
    }

    /** A quoted phrase of two words or more whose first two words say there is no value ({@code "not set"}). */
    private static boolean noValuePhrase(String d, int v, int end) {
        int a = v;
        while (a < end && a - v <= 8 && Chars.letter(d.charAt(a))) {
            a++;
        }
        if (a == v || a >= end || d.charAt(a) != ' ') {
            return false;
        }
        int b = a + 1;
        while (b < end && b - a <= 12 && Chars.letter(d.charAt(b))) {
            b++;
        }
        if (b == a + 1 || b < end && d.charAt(b) != ' ') {
            return false;
        }
        return PHRASE_FIRST.contains(d.substring(v, a).toLowerCase(Locale.ROOT))
                && PHRASE_SECOND.contains(d.substring(a + 1, b).toLowerCase(Locale.ROOT));
    }

    private static boolean awsSecretShape(String d, int v, int end) {
        if (end - v != 40) {
            return false;
        }
        for (int k = v; k < end; k++) {
            char c = d.charAt(k);
            if (!Chars.alnum(c) && c != '/' && c != '+' && c != '=') {
                return false;
            }
        }
        return true;
    }
}
