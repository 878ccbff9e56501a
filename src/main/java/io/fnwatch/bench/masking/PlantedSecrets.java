package io.fnwatch.bench.masking;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Generates planted secrets of many kinds inside realistic application log messages: provider tokens in the
 * shapes gitleaks' rules describe, private keys (also split over events), URL passwords and values under secret
 * names, written plain, in JSON escaped once or twice, URL-encoded, and under camelCase, snake_case and
 * kebab-case names with every separator. Seeded: the same seed gives the same plants.
 */
public final class PlantedSecrets {

    private final Randoms r;
    private final Map<String, Function<Randoms, Plant>> kinds = new LinkedHashMap<>();

    public PlantedSecrets(long seed) {
        this.r = new Randoms(seed);
        define();
    }

    public List<String> kinds() {
        return List.copyOf(kinds.keySet());
    }

    /** {@code perKind} plants of every kind, kinds interleaved. */
    public List<Plant> generate(int perKind) {
        List<Plant> out = new ArrayList<>();
        for (int i = 0; i < perKind; i++) {
            for (var k : kinds.values()) {
                out.add(k.apply(r));
            }
        }
        return out;
    }

    private void kind(String name, Function<Randoms, Plant> make) {
        kinds.put(name, make);
    }

    private static String say(Randoms r, String secretText) {
        return r.pick(List.of("INFO ", "DEBUG ", "WARN ", ""))
                + r.pick(List.of(
                                "calling upstream with %s",
                                "config loaded: %s",
                                "retrying request (attempt 2) %s",
                                "env dump %s",
                                "initialising client %s",
                                "request failed, context: %s"))
                        .formatted(secretText);
    }

    private static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private void define() {
        kind("aws-access-key-id", r -> {
            String id = r.pick(List.of("AKIA", "ASIA")) + r.base32(16);
            return Plant.of(
                    "aws-access-key-id",
                    say(
                            r,
                            r.pick(List.of(
                                    "aws_access_key_id=" + id,
                                    "key " + id,
                                    "Credential=" + id + "/20260302/us-east-1/s3/aws4_request",
                                    "id%3D" + id,
                                    "ref=1" + id))),
                    id);
        });
        kind("aws-secret-access-key", r -> {
            String secret = r.b64(40);
            return Plant.of(
                    "aws-secret-access-key",
                    say(
                            r,
                            r.pick(List.of(
                                    "aws_secret_access_key = " + secret,
                                    "AWS_SECRET_ACCESS_KEY=" + secret,
                                    "\"SecretAccessKey\": \"" + secret + "\"",
                                    "secretAccessKey: '" + secret + "'"))),
                    secret);
        });
        kind("github-token", r -> {
            String t = r.pick(List.of("ghp_", "gho_", "ghs_", "ghu_", "ghr_")) + r.alnum(36);
            return Plant.of(
                    "github-token",
                    say(
                            r,
                            r.pick(List.of(
                                    "GITHUB_TOKEN=" + t,
                                    "using " + t,
                                    "git clone https://" + t + "@github.com/acme/app.git",
                                    "remote https://x-access-token:" + t + "@github.com/acme/app"))),
                    t);
        });
        kind("github-fine-grained-pat", r -> {
            String t = "github_pat_" + r.alnum(22) + "_" + r.alnum(59);
            return Plant.of("github-fine-grained-pat", say(r, "gh auth with " + t), t);
        });
        kind("gitlab-token", r -> {
            String t = r.pick(List.of("glpat-", "gldt-", "glrt-")) + r.wordDash(20);
            return Plant.of(
                    "gitlab-token",
                    say(
                            r,
                            r.pick(List.of(
                                    "PRIVATE-TOKEN: " + t,
                                    "token " + t,
                                    "https://oauth2:" + t + "@gitlab.com/acme/app.git"))),
                    t);
        });
        kind("atlassian-bitbucket-token", r -> {
            String t = r.pick(List.of("ATBB" + r.alnum(32), "ATATT3" + r.wordDash(186)));
            return Plant.of("atlassian-bitbucket-token", say(r, "bitbucket app password " + t), t);
        });
        kind("slack-token", r -> {
            String t = r.pick(List.of("xoxb-", "xoxp-")) + r.digits(11) + "-" + r.digits(13) + "-" + r.alnum(24);
            return Plant.of(
                    "slack-token",
                    say(
                            r,
                            r.pick(List.of(
                                    "SLACK_BOT_TOKEN=" + t,
                                    "posting with " + t,
                                    "{\"token\":\"" + t + "\",\"channel\":\"C0123\"}"))),
                    t);
        });
        kind("slack-webhook", r -> {
            String path = "T" + r.base32(8) + "/B" + r.base32(8) + "/" + r.alnum(24);
            return Plant.of("slack-webhook", say(r, "POST https://hooks.slack.com/services/" + path + " 200"), path);
        });
        kind("discord", r -> {
            // the first part is the base64 of the bot's id, a snowflake of 18 or 19 digits, unpadded
            String id = java.util.Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(r.digits(r.between(18, 19)).getBytes(StandardCharsets.UTF_8));
            String bot = id + "." + r.wordDash(6) + "." + r.wordDash(27);
            String hook = r.digits(18) + "/" + r.wordDash(68);
            return r.random.nextBoolean()
                    ? Plant.of("discord", say(r, "discord bot login " + bot), bot)
                    : Plant.of("discord", say(r, "notify https://discord.com/api/webhooks/" + hook), hook);
        });
        kind("telegram-bot-token", r -> {
            String t = r.digits(10) + ":AA" + r.wordDash(33);
            return Plant.of("telegram-bot-token", say(r, "GET https://api.telegram.org/bot" + t + "/sendMessage"), t);
        });
        kind("stripe-key", r -> {
            String t = r.pick(List.of("sk_live_", "rk_live_", "sk_test_")) + r.alnum(24);
            return Plant.of(
                    "stripe-key",
                    say(
                            r,
                            r.pick(List.of(
                                    "stripe.api_key=" + t, "Stripe key " + t, "\"stripeSecretKey\":\"" + t + "\""))),
                    t);
        });
        kind("gcp-api-key", r -> {
            String t = "AIza" + r.wordDash(35);
            return Plant.of(
                    "gcp-api-key",
                    say(
                            r,
                            r.pick(List.of(
                                    "GET https://maps.googleapis.com/maps/api/geocode/json?key=" + t + "&address=x",
                                    "firebase apiKey " + t))),
                    t);
        });
        kind("gcp-service-account-key", r -> {
            String body = r.b64(64);
            String json = "{\"type\":\"service_account\",\"project_id\":\"acme-prod\",\"private_key_id\":\"" + r.hex(40)
                    + "\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n" + body + "\\n" + r.b64(64)
                    + "\\n-----END PRIVATE KEY-----\\n\",\"client_email\":\"svc@acme-prod.iam.gserviceaccount.com\"}";
            return Plant.of("gcp-service-account-key", "loaded credentials " + json, body);
        });
        kind("azure-storage-connection-string", r -> {
            String key = r.b64(86) + "==";
            return Plant.of(
                    "azure-storage-connection-string",
                    say(
                            r,
                            "DefaultEndpointsProtocol=https;AccountName=acme" + r.digits(3) + ";AccountKey=" + key
                                    + ";EndpointSuffix=core.windows.net"),
                    key.substring(0, 40));
        });
        kind("azure-sas-signature", r -> {
            String sig = r.b64(43) + "=";
            return Plant.of(
                    "azure-sas-signature",
                    say(
                            r,
                            "GET https://acme.blob.core.windows.net/exports/r.csv?sv="
                                    + "2022-11-02&ss=b&srt=o&sp=r&se=2026-03-03T00:00:00Z&sig=" + url(sig) + " 200"),
                    url(sig),
                    sig);
        });
        kind("azure-client-secret", r -> {
            String t = r.alnum(3) + r.digits(1) + "Q~" + r.alnum(34);
            return Plant.of("azure-client-secret", say(r, "msal confidential client " + t), t);
        });
        kind("twilio-api-key", r -> {
            String t = "SK" + r.hex(32);
            return Plant.of("twilio-api-key", say(r, "twilio client " + t), t);
        });
        kind("sendgrid-api-key", r -> {
            String t = "SG." + r.wordDash(22) + "." + r.wordDash(43);
            return Plant.of("sendgrid-api-key", say(r, "Authorization: Bearer " + t), t);
        });
        kind("npm-token", r -> {
            String t = "npm_" + r.alnum(36);
            return Plant.of("npm-token", say(r, "//registry.npmjs.org/:_authToken=" + t), t);
        });
        kind("shopify-token", r -> {
            String t = r.pick(List.of("shpat_", "shpss_")) + r.hex(32);
            return Plant.of("shopify-token", say(r, "X-Shopify-Access-Token " + t), t);
        });
        kind("other-provider-token", r -> {
            String t = r.pick(List.of(
                    "dop_v1_" + r.hex(64),
                    "hf_" + r.of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", 34),
                    "sk-proj-" + r.wordDash(74) + "T3BlbkFJ" + r.wordDash(74),
                    "hvs." + r.wordDash(91),
                    "lin_api_" + r.alnum(40),
                    "PMAK-" + r.hex(24) + "-" + r.hex(34),
                    "sq0atp-" + r.wordDash(22),
                    "pypi-AgEIcHlwaS5vcmc" + r.wordDash(60),
                    "sk-ant-api03-" + r.wordDash(93) + "AA"));
            return Plant.of("other-provider-token", say(r, "client token " + t), t);
        });
        kind("jwt", r -> {
            String t = "eyJ" + r.wordDash(30) + ".eyJ" + r.wordDash(80) + "." + r.wordDash(43);
            return Plant.of(
                    "jwt",
                    say(r, r.pick(List.of("Authorization: Bearer " + t, "id_token=" + t, "{\"jwt\":\"" + t + "\"}"))),
                    t.substring(t.lastIndexOf('.') + 1),
                    t.substring(3, 33));
        });
        kind("pem-private-key", r -> {
            String body = r.b64(64);
            String type = r.pick(List.of("RSA ", "EC ", "", "ENCRYPTED ", "OPENSSH "));
            return Plant.of(
                    "pem-private-key",
                    "key material:\n-----BEGIN " + type + "PRIVATE KEY-----\n" + body + "\n" + r.b64(64) + "\n-----END "
                            + type + "PRIVATE KEY-----",
                    body);
        });
        kind("pem-split-over-events", r -> {
            String type = r.pick(List.of("RSA ", "", "OPENSSH "));
            List<String> lines = new ArrayList<>();
            List<String> secrets = new ArrayList<>();
            lines.add("-----BEGIN " + type + "PRIVATE KEY-----");
            for (int i = 0; i < r.between(3, 8); i++) {
                String l = r.b64(64);
                lines.add(l);
                secrets.add(l);
            }
            lines.add(r.b64(20) + "==");
            secrets.add(lines.get(lines.size() - 1));
            lines.add("-----END " + type + "PRIVATE KEY-----");
            return new Plant("pem-split-over-events", lines, secrets);
        });
        kind("pgp-private-key", r -> {
            String body = r.b64(64);
            return Plant.of(
                    "pgp-private-key",
                    "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + body + "\n=" + r.b64(4)
                            + "\n-----END PGP PRIVATE KEY BLOCK-----",
                    body);
        });
        kind("url-password", r -> {
            String pw = r.password().replace("#", "x");
            String user = r.pick(List.of("app", "", "admin", "svc_orders"));
            return Plant.of(
                    "url-password",
                    say(
                            r,
                            r.pick(List.of("postgres", "mysql", "redis", "amqp", "mongodb+srv")) + "://" + user + ":"
                                    + pw + "@db-" + r.digits(2) + ".internal:5432/orders"),
                    pw);
        });
        kind("weak-secret-lookalike", r -> {
            // values that resemble what masking keeps (names, references, numbers, phrases) but are secrets
            String v = r.pick(List.of(
                    r.pick(List.of("my", "super", "very", "dev", "prod")) + "-secret-" + r.pick(List.of("key", "token"))
                            + "-" + r.pick(List.of("alpha", "orders", "payments")),
                    "$" + r.pick(List.of("ecret", "uper", "tr0ng")) + "_"
                            + r.alnum(4).toLowerCase(java.util.Locale.ROOT),
                    "@" + r.pick(List.of("dm1n", "ccess", "pp")) + r.digits(4),
                    r.digits(r.between(6, 8)),
                    r.pick(List.of("the", "my", "no")) + " " + r.pick(List.of("quick", "purple", "hidden")) + " "
                            + r.pick(List.of("brown fox", "monkey dishwasher", "falcon")),
                    "Password-" + r.digits(3),
                    "Secret_" + r.digits(4)));
            boolean digits = v.chars().allMatch(Character::isDigit);
            String name = digits
                    ? r.pick(List.of("password", "DB_PASSWORD", "passphrase"))
                    : r.pick(List.of("password", "JWT_SECRET", "api_key", "clientSecret", "passphrase", "token"));
            String form = v.indexOf(' ') >= 0
                    ? "\"" + name + "\": \"" + v + "\""
                    : r.pick(List.of(name + "=" + v, name + ": " + v, "\"" + name + "\":\"" + v + "\""));
            return Plant.of("weak-secret-lookalike", say(r, form), v);
        });
        kind("password-pair", r -> {
            String pw = r.password();
            String name = r.pick(List.of(
                    "password",
                    "PASSWORD",
                    "passwd",
                    "db_password",
                    "DB_PASSWORD",
                    "dbPassword",
                    "db-password",
                    "spring.datasource.password",
                    "mysqlRootPassword",
                    "pwd",
                    "passphrase"));
            String sep = r.pick(List.of("=", ": ", " = ", "\t=\t", "      =      ", "\u00a0=\u00a0", " => ", ":="));
            String form = r.pick(List.of(
                    name + sep + pw,
                    "\"" + name + "\"" + sep + "\"" + pw + "\"",
                    "[" + name + "] => " + pw,
                    "'" + name + "' => '" + pw + "'",
                    name + sep + "'" + pw + "'"));
            return Plant.of("password-pair", say(r, form), pw);
        });
        kind("secret-name-camel-snake-kebab", r -> {
            String v = r.alnum(r.between(12, 40));
            String name = r.pick(List.of(
                    "apiToken",
                    "stripeSecretKey",
                    "clientSecret",
                    "API_KEY",
                    "x-api-key",
                    "accessToken",
                    "refresh_token",
                    "SESSION_TOKEN",
                    "webhookSecret",
                    "signingKey",
                    "authToken",
                    "encryption-key",
                    "Ocp-Apim-Subscription-Key",
                    "privateKey",
                    "client_secret",
                    "apikey"));
            return Plant.of(
                    "secret-name-camel-snake-kebab",
                    say(
                            r,
                            r.pick(List.of(
                                    name + "=" + v,
                                    "\"" + name + "\": \"" + v + "\"",
                                    name + ": " + v,
                                    "--" + name + " = " + v))),
                    v);
        });
        kind("authorization-header", r -> {
            String cred = r.pick(List.of(
                    "Basic " + r.base64Of("user:" + r.password()), "Bearer " + r.alnum(40), "Token " + r.hex(40)));
            String v = cred.substring(cred.indexOf(' ') + 1);
            return Plant.of(
                    "authorization-header",
                    say(
                            r,
                            r.pick(List.of(
                                    "Authorization: " + cred,
                                    "{\"headers\":{\"Authorization\":[\"" + cred + "\"]}}",
                                    "{'authorization': '" + cred + "'}",
                                    "\"authorization\"=>\"" + cred + "\""))),
                    v);
        });
        kind("json-in-json-string", r -> {
            String pw = r.password();
            String inner = "{\"username\":\"bob\",\"password\":\"" + pw + "\"}";
            return Plant.of(
                    "json-in-json-string",
                    say(r, "{\"httpMethod\":\"POST\",\"path\":\"/login\",\"body\":\"" + jsonEscape(inner) + "\"}"),
                    pw,
                    jsonEscape(pw));
        });
        kind("json-double-escaped", r -> {
            String t = r.alnum(32);
            String inner = "{\"apiKey\":\"" + t + "\"}";
            String mid = "{\"body\":\"" + jsonEscape(inner) + "\"}";
            return Plant.of("json-double-escaped", say(r, "{\"event\":\"" + jsonEscape(mid) + "\"}"), t);
        });
        kind("json-escaped-slashes-unicode", r -> {
            String pw = r.alnum(6) + "/" + r.alnum(6);
            return Plant.of(
                    "json-escaped-slashes-unicode",
                    say(
                            r,
                            r.pick(List.of(
                                    "{\"password\":\"" + pw.replace("/", "\\/") + "\"}",
                                    "{\"pass\\u0077ord\":\"" + pw + "\"}"))),
                    pw.replace("/", "\\/"),
                    pw);
        });
        kind("url-encoded-pair", r -> {
            String pw = r.password();
            String pair = r.pick(List.of("password", "token", "client_secret", "api_key")) + "=" + pw;
            return Plant.of(
                    "url-encoded-pair",
                    say(
                            r,
                            r.pick(List.of(
                                    "POST /oauth/token body=" + url(pair),
                                    "redirect=%2Flogin%3F" + url(url(pair)),
                                    "q=" + url("grant_type=password&" + pair)))),
                    pw,
                    url(pw),
                    url(url(pw)));
        });
    }
}
