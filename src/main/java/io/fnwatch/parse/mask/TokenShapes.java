package io.fnwatch.parse.mask;

import java.util.ArrayList;
import java.util.List;

/**
 * Provider tokens recognised by their own shape, whatever name they are logged under: a fixed prefix and a
 * body of a known alphabet and length. The families and shapes follow gitleaks' rule set (clouds, VCS hosts,
 * chat, payment and developer platforms); the code is a single pass that looks up candidate prefixes by the
 * current character, so the work per character is bounded by the longest token body.
 */
final class TokenShapes {

    /** Alphabets of token bodies. */
    private enum Body {
        ALNUM,
        WORD,
        WORD_DASH,
        WORD_DASH_DOT,
        HEX,
        HEX_DASH,
        UPPER_DIGIT,
        LETTERS,
        B64,
        URL_PATH;

        boolean accepts(char c) {
            return switch (this) {
                case ALNUM -> Chars.alnum(c);
                case WORD -> Chars.alnum(c) || c == '_';
                case WORD_DASH -> Chars.alnum(c) || c == '_' || c == '-';
                case WORD_DASH_DOT -> Chars.alnum(c) || c == '_' || c == '-' || c == '.' || c == '=';
                case HEX -> Chars.hex(c);
                case HEX_DASH -> Chars.hex(c) || c == '-';
                case UPPER_DIGIT -> Chars.upper(c) || Chars.digit(c);
                case LETTERS -> Chars.letter(c);
                case B64 -> Chars.alnum(c) || c == '+' || c == '/' || c == '=' || c == '_';
                case URL_PATH -> Chars.alnum(c) || c == '+' || c == '/' || c == '_' || c == '-';
            };
        }
    }

    /**
     * One token family member. {@code keepPrefix}: the prefix is a public part (a webhook's host and path)
     * and stays readable; {@code mustContain}: a marker the body must hold (OpenAI's legacy keys).
     */
    private record Shape(
            String prefix, Kind kind, Body body, int min, int max, boolean keepPrefix, String mustContain) {}

    private static final Shape[][] BY_FIRST_CHAR = index(List.of(
            shapes(Kind.AWS_ACCESS_KEY_ID, Body.UPPER_DIGIT, 16, 16, "AKIA", "ASIA", "ABIA", "ACCA"),
            shapes(Kind.AWS_ACCESS_KEY_ID, Body.UPPER_DIGIT, 17, 17, "A3T"),
            shapes(Kind.GITHUB_TOKEN, Body.ALNUM, 30, 255, "ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
            shapes(Kind.GITHUB_TOKEN, Body.WORD, 22, 255, "github_pat_"),
            shapes(
                    Kind.GITLAB_TOKEN,
                    Body.WORD_DASH_DOT,
                    20,
                    300,
                    "glpat-",
                    "gldt-",
                    "glrt-",
                    "glptt-",
                    "glft-",
                    "glimt-",
                    "glagent-",
                    "gloas-",
                    "glsoat-",
                    "glffct-",
                    "glcbt-",
                    "GR1348941"),
            shapes(Kind.ATLASSIAN_TOKEN, Body.WORD_DASH_DOT, 28, 300, "ATBB", "ATATT3", "ATCTT3"),
            shapes(
                    Kind.SLACK_TOKEN,
                    Body.WORD_DASH,
                    10,
                    300,
                    "xoxb-",
                    "xoxp-",
                    "xoxa-",
                    "xoxr-",
                    "xoxs-",
                    "xoxo-",
                    "xoxe-",
                    "xoxe.xox",
                    "xapp-"),
            keep(Kind.SLACK_WEBHOOK, Body.URL_PATH, 20, 200, "hooks.slack.com/"),
            keep(
                    Kind.DISCORD_WEBHOOK,
                    Body.URL_PATH,
                    20,
                    200,
                    "discord.com/api/webhooks/",
                    "discordapp.com/api/webhooks/"),
            shapes(
                    Kind.STRIPE_KEY,
                    Body.ALNUM,
                    10,
                    99,
                    "sk_live_",
                    "sk_test_",
                    "sk_prod_",
                    "rk_live_",
                    "rk_test_",
                    "rk_prod_"),
            shapes(Kind.STRIPE_KEY, Body.ALNUM, 24, 64, "whsec_"),
            shapes(Kind.SQUARE_TOKEN, Body.WORD_DASH, 22, 60, "sq0atp-", "sq0csp-"),
            shapes(Kind.SHOPIFY_TOKEN, Body.HEX, 32, 32, "shpat_", "shpca_", "shppa_", "shpss_"),
            shapes(Kind.GCP_API_KEY, Body.WORD_DASH, 35, 35, "AIza"),
            shapes(Kind.TWILIO_API_KEY, Body.HEX, 32, 32, "SK"),
            shapes(Kind.SENDGRID_API_KEY, Body.WORD_DASH_DOT, 60, 70, "SG."),
            shapes(Kind.NPM_TOKEN, Body.ALNUM, 36, 36, "npm_"),
            shapes(Kind.PYPI_TOKEN, Body.WORD_DASH, 50, 300, "pypi-AgEIcHlwaS5vcmc"),
            shapes(Kind.DIGITALOCEAN_TOKEN, Body.HEX, 64, 64, "dop_v1_", "doo_v1_", "dor_v1_"),
            shapes(Kind.HUGGINGFACE_TOKEN, Body.LETTERS, 34, 34, "hf_", "api_org_"),
            shapes(Kind.ANTHROPIC_API_KEY, Body.WORD_DASH, 80, 300, "sk-ant-"),
            shapes(Kind.OPENAI_API_KEY, Body.WORD_DASH, 40, 300, "sk-proj-", "sk-svcacct-", "sk-admin-"),
            List.of(new Shape("sk-", Kind.OPENAI_API_KEY, Body.ALNUM, 40, 48, false, "T3BlbkFJ")),
            shapes(Kind.VAULT_TOKEN, Body.WORD_DASH, 90, 300, "hvs.", "hvb."),
            shapes(Kind.AGE_SECRET_KEY, Body.UPPER_DIGIT, 58, 58, "AGE-SECRET-KEY-1"),
            shapes(Kind.POSTMAN_API_KEY, Body.HEX_DASH, 59, 59, "PMAK-"),
            shapes(Kind.LINEAR_API_KEY, Body.ALNUM, 40, 40, "lin_api_"),
            shapes(Kind.NEW_RELIC_KEY, Body.WORD_DASH, 19, 40, "NRAK-", "NRII-", "NRJS-"),
            shapes(Kind.GRAFANA_TOKEN, Body.B64, 32, 400, "glc_"),
            shapes(Kind.GRAFANA_TOKEN, Body.WORD, 41, 41, "glsa_"),
            shapes(Kind.DOPPLER_TOKEN, Body.ALNUM, 43, 43, "dp.pt."),
            shapes(Kind.SENTRY_TOKEN, Body.HEX, 64, 64, "sntryu_"),
            shapes(Kind.SENTRY_TOKEN, Body.B64, 50, 600, "sntrys_"),
            shapes(Kind.HEROKU_API_KEY, Body.WORD_DASH, 58, 58, "HRKU-AA")));

    private TokenShapes() {}

    static void scan(String d, Marks marks) {
        int n = d.length();
        Runs runs = null;
        // the shapes that are not found by a prefix have a marker of their own: look for it once
        boolean telegram = d.indexOf(":A") >= 0;
        boolean azure = d.indexOf("Q~") >= 0;
        boolean prevLetter = false;
        boolean prevAlnum = false;
        int i = 0;
        while (i < n) {
            char c = d.charAt(i);
            int end = -1;
            if (!prevLetter && c < 128) { // a token starts where a word starts; inside words only markers count
                Shape[] candidates = BY_FIRST_CHAR[c];
                if (candidates != null) {
                    if (runs == null) {
                        runs = new Runs();
                    }
                    end = prefixed(d, i, candidates, marks, runs);
                }
                if (end < 0 && !prevAlnum && (c == 'M' || c == 'N' || c == 'O')) {
                    end = discordBot(d, i, marks);
                }
            }
            if (end < 0 && (telegram && c == ':' || azure && c == 'Q')) {
                end = c == ':' ? telegram(d, i, marks) : azureClientSecret(d, i, marks);
            }
            if (end > i) {
                i = end;
                prevLetter = Chars.letter(d.charAt(i - 1));
                prevAlnum = Chars.alnum(d.charAt(i - 1));
            } else {
                prevLetter = Chars.letter(c);
                prevAlnum = prevLetter || Chars.digit(c);
                i++;
            }
        }
    }

    /**
     * The end of the maximal run of a body alphabet, remembered per alphabet: a start inside the last run read
     * ends where it ended, so repeated prefixes ({@code sntrys_sntrys_...}) read every character once.
     */
    private static final class Runs {
        private static final int BODIES = Body.values().length;
        private final int[] from = new int[BODIES];
        private final int[] end = new int[BODIES];

        Runs() {
            java.util.Arrays.fill(from, -1);
        }

        int end(String d, int start, Body body) {
            int b = body.ordinal();
            if (from[b] >= 0 && start >= from[b] && start <= end[b]) {
                return end[b];
            }
            int i = start;
            while (i < d.length() && body.accepts(d.charAt(i))) {
                i++;
            }
            from[b] = start;
            end[b] = i;
            return i;
        }
    }

    private static int prefixed(String d, int i, Shape[] candidates, Marks marks, Runs runs) {
        for (Shape s : candidates) {
            if (!d.startsWith(s.prefix(), i)) {
                continue;
            }
            int from = i + s.prefix().length();
            int end = runs.end(d, from, s.body());
            int len = end - from;
            if (len < s.min() || len > s.max()) {
                continue;
            }
            if (s.mustContain() != null && d.substring(from, end).indexOf(s.mustContain()) < 0) {
                continue;
            }
            marks.mark(s.keepPrefix() ? from : i, end, s.kind());
            return end;
        }
        return -1;
    }

    /** Telegram bot tokens, {@code 123456789:AA...}: up to 16 digits, a colon, 'A' and 34 more characters. */
    private static int telegram(String d, int colon, Marks marks) {
        int s = colon;
        while (s > 0 && colon - s < 17 && Chars.digit(d.charAt(s - 1))) {
            s--;
        }
        int digits = colon - s;
        if (digits < 5 || digits > 16 || (s > 0 && Chars.digit(d.charAt(s - 1)))) {
            return -1;
        }
        if (colon + 1 >= d.length() || d.charAt(colon + 1) != 'A') {
            return -1;
        }
        int end = run(d, colon + 1, Body.WORD_DASH, 36);
        if (end - colon - 1 != 35) {
            return -1;
        }
        marks.mark(s, end, Kind.TELEGRAM_BOT_TOKEN);
        return end;
    }

    /**
     * Discord bot tokens: base64 of the bot's id (a snowflake of 17 to 20 digits, so the base64 starts with M, N
     * or O), a timestamp and an HMAC, dot-separated. The first part must decode to digits: a dotted name of the
     * same lengths ({@code NotificationServiceHandler.Invoke.ProcessIncomingOrdersAsync}) is no token.
     */
    private static int discordBot(String d, int i, Marks marks) {
        int a = run(d, i, Body.WORD_DASH, 28);
        if (a - i < 24 || a - i > 27 || a >= d.length() || d.charAt(a) != '.' || !base64OfDigits(d, i, a)) {
            return -1;
        }
        int b = run(d, a + 1, Body.WORD_DASH, 8);
        if (b - a - 1 < 6 || b - a - 1 > 7 || b >= d.length() || d.charAt(b) != '.') {
            return -1;
        }
        int c = run(d, b + 1, Body.WORD_DASH, 39);
        if (c - b - 1 < 27 || c - b - 1 > 38) {
            return -1;
        }
        marks.mark(i, c, Kind.DISCORD_BOT_TOKEN);
        return c;
    }

    /** Azure AD (Entra) client secrets: three characters, a digit, {@code Q~}, then 31 to 34 characters. */
    private static int azureClientSecret(String d, int q, Marks marks) {
        if (q < 4 || q + 2 >= d.length() || d.charAt(q + 1) != '~' || !Chars.digit(d.charAt(q - 1))) {
            return -1;
        }
        int s = q - 4;
        for (int k = s; k < q - 1; k++) {
            if (!azureChar(d.charAt(k))) {
                return -1;
            }
        }
        if (s > 0 && azureChar(d.charAt(s - 1))) {
            return -1;
        }
        int end = q + 2;
        while (end < d.length() && end - q - 2 <= 34 && (azureChar(d.charAt(end)) || d.charAt(end) == '-')) {
            end++;
        }
        int len = end - q - 2;
        if (len < 31 || len > 34) {
            return -1;
        }
        marks.mark(s, end, Kind.AZURE_CLIENT_SECRET);
        return end;
    }

    private static boolean base64OfDigits(String d, int from, int to) {
        byte[] id;
        try {
            id = java.util.Base64.getUrlDecoder().decode(d.substring(from, to - ((to - from) % 4 == 1 ? 1 : 0)));
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (byte b : id) {
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return id.length >= 17;
    }

    private static boolean azureChar(char c) {
        return Chars.alnum(c) || c == '_' || c == '~' || c == '.';
    }

    /** The end of the run of {@code body} characters from {@code from}, reading at most {@code limit}. */
    private static int run(String d, int from, Body body, int limit) {
        int i = from;
        int stop = Math.min(d.length(), from + limit);
        while (i < stop && body.accepts(d.charAt(i))) {
            i++;
        }
        return i;
    }

    private static List<Shape> shapes(Kind kind, Body body, int min, int max, String... prefixes) {
        List<Shape> out = new ArrayList<>();
        for (String p : prefixes) {
            out.add(new Shape(p, kind, body, min, max, false, null));
        }
        return out;
    }

    private static List<Shape> keep(Kind kind, Body body, int min, int max, String... prefixes) {
        List<Shape> out = new ArrayList<>();
        for (String p : prefixes) {
            out.add(new Shape(p, kind, body, min, max, true, null));
        }
        return out;
    }

    private static Shape[][] index(List<List<Shape>> groups) {
        List<List<Shape>> by = new ArrayList<>();
        for (int c = 0; c < 128; c++) {
            by.add(null);
        }
        for (List<Shape> g : groups) {
            for (Shape s : g) {
                char c = s.prefix().charAt(0);
                if (by.get(c) == null) {
                    by.set(c, new ArrayList<>());
                }
                by.get(c).add(s);
            }
        }
        Shape[][] out = new Shape[128][];
        for (int c = 0; c < 128; c++) {
            if (by.get(c) != null) {
                // longer prefixes first: "sk-ant-" before "sk-"
                by.get(c).sort((x, y) -> y.prefix().length() - x.prefix().length());
                out[c] = by.get(c).toArray(new Shape[0]);
            }
        }
        return out;
    }
}
