package io.fnwatch.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets that functions leak into their logs: AWS access key ids and secret keys, JWTs, PEM private
 * keys, credentials in URLs, {@code Authorization} header values and {@code password=}/{@code token=}-style
 * pairs. Every pattern is bounded (no unbounded repetition), and each runs only when a cheap literal
 * trigger is present, so ordinary lines cost a few {@code indexOf} calls.
 */
public final class Redactor {

    /** The masked text and the kinds of secret found, in pattern order, without repeats. */
    public record Result(String text, List<String> kinds) {
    }

    private record Rule(String kind, Pattern pattern, int group, String[] triggers) {
        boolean triggered(String s) {
            for (String t : triggers) {
                if (s.contains(t)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String[] KEYWORDS = {"ass", "ASS", "ecret", "ECRET", "oken", "OKEN", "key", "Key", "KEY",
        "pwd", "PWD"};

    private static final List<Rule> RULES = List.of(
            new Rule("PRIVATE_KEY", Pattern.compile(
                    "-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[\\s\\S]{0,16384}?(?:-----END [A-Z ]{0,20}PRIVATE KEY-----|$)"),
                    0, new String[] {"PRIVATE KEY-----"}),
            new Rule("JWT", Pattern.compile("eyJ[A-Za-z0-9_-]{5,4096}\\.eyJ[A-Za-z0-9_-]{2,8192}\\.[A-Za-z0-9_-]{0,4096}"),
                    0, new String[] {"eyJ"}),
            new Rule("AWS_ACCESS_KEY_ID", Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"), 0,
                    new String[] {"AKIA", "ASIA"}),
            new Rule("AWS_SECRET_ACCESS_KEY", Pattern.compile(
                    "(?i)(?:aws_?secret_?access_?key|secretaccesskey|secret_?key)[\"']?\\s{0,4}[:=]\\s{0,4}[\"']?"
                            + "([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"), 1, KEYWORDS),
            new Rule("URL_CREDENTIALS", Pattern.compile(
                    "[A-Za-z][A-Za-z0-9+.-]{0,20}://[^/\\s:@]{1,256}:([^/\\s@]{1,256})@"), 1, new String[] {"://"}),
            new Rule("AUTHORIZATION_HEADER", Pattern.compile(
                    "(?i)authorization[\"']?\\s{0,4}[:=]\\s{0,4}[\"']?(?:(?:bearer|basic|token|aws4-hmac-sha256)\\s{1,4})?"
                            + "([^\\s\"',;]{1,4096})"), 1, new String[] {"uthorization", "UTHORIZATION"}),
            new Rule("SECRET_PAIR", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|client_?secret|token|access_?token|"
                            + "refresh_?token|api_?key|apikey|x-api-key|private_?key)[\"']?\\s{0,4}[:=]\\s{0,4}[\"']?"
                            + "([^\\s\"'&,;}\\]]{1,1024})"), 1, KEYWORDS));

    public Result redact(String text) {
        List<String> kinds = null;
        String out = text;
        for (Rule rule : RULES) {
            if (!rule.triggered(out)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(out);
            StringBuilder sb = null;
            int last = 0;
            while (m.find()) {
                String value = m.group(rule.group());
                if (value == null || value.isEmpty() || value.startsWith("[REDACTED")) {
                    continue;
                }
                if (sb == null) {
                    sb = new StringBuilder(out.length());
                }
                sb.append(out, last, m.start(rule.group())).append("[REDACTED:").append(rule.kind()).append(']');
                last = m.end(rule.group());
            }
            if (sb != null) {
                out = sb.append(out, last, out.length()).toString();
                if (kinds == null) {
                    kinds = new ArrayList<>(2);
                }
                if (!kinds.contains(rule.kind())) {
                    kinds.add(rule.kind());
                }
            }
        }
        return new Result(out, kinds == null ? List.of() : kinds);
    }
}
