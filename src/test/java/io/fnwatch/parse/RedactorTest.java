package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each leak of issue 13's finding 6, reproduced: the secret must be gone and the kind reported. */
class RedactorTest {

    private final Redactor redactor = new Redactor();

    private static final String AKIA = "AKIAIOSFODNN7EXAMPLE";

    private void assertMasked(String line, String secret, String kind) {
        Redactor.Result r = redactor.redact(line);
        assertThat(r.text()).as(line).doesNotContain(secret).contains("[REDACTED:" + kind + "]");
        assertThat(r.kinds()).as(line).contains(kind);
    }

    private void assertUntouched(String line) {
        Redactor.Result r = redactor.redact(line);
        assertThat(r.text()).as(line).isEqualTo(line);
        assertThat(r.kinds()).as(line).isEmpty();
    }

    @Test
    void aDetailQuotingAGzipBombStaysAsShortAsAskedAfterItsEnvelopeIsOpened() throws java.io.IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write("password=hunter2 ".repeat(40_000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String data = java.util.Base64.getEncoder().encodeToString(gz.toByteArray());
        String detail = "unexpected end of input: {\"data\":\"" + data + "\"}";

        String masked = redactor.maskedDetail(detail, detail.length());

        assertThat(detail.length()).isLessThan(8 * 1024); // 680 KB of text, gzipped small
        assertThat(masked).hasSizeLessThanOrEqualTo(detail.length()).doesNotContain("hunter2");
    }

    @Test
    void jsonInsideJsonStrings() {
        assertMasked("{\"body\":\"{\\\"password\\\":\\\"hunter2\\\"}\"}", "hunter2", "SECRET_PAIR");
        // double-escaped: JSON in a JSON string in a JSON string
        assertMasked(
                "{\"event\":\"{\\\"body\\\":\\\"{\\\\\\\"password\\\\\\\":\\\\\\\"hunter2\\\\\\\"}\\\"}\"}",
                "hunter2",
                "SECRET_PAIR");
        assertMasked("{\"k\":\"\\u0070assword=hunter2\"}", "hunter2", "SECRET_PAIR");
        assertMasked("{\"url\":\"https:\\/\\/deploy:hunter2@git.example.com\\/x\"}", "hunter2", "URL_CREDENTIALS");
        assertMasked("secret path \\/ token=abc\\/def\\/ghi", "def", "SECRET_PAIR");
    }

    @Test
    void escapedQuotesKeepTheRestOfTheLine() {
        Redactor.Result r =
                redactor.redact("{\"body\":\"{\\\"password\\\":\\\"hunter2\\\",\\\"user\\\":\\\"bob\\\"}\"}");
        assertThat(r.text())
                .isEqualTo("{\"body\":\"{\\\"password\\\":\\\"[REDACTED:SECRET_PAIR]\\\",\\\"user\\\":\\\"bob\\\"}\"}");
    }

    @Test
    void urlEncoding() {
        assertMasked("POST /login?user=bob&password%3Dhunter2", "hunter2", "SECRET_PAIR");
        assertMasked("q=x%26password%3Dhunter2%26y%3D1", "hunter2", "SECRET_PAIR");
        assertMasked("key%3D" + AKIA, AKIA, "AWS_ACCESS_KEY_ID");
        assertMasked("id=1" + AKIA, AKIA, "AWS_ACCESS_KEY_ID");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "dbPassword=hunter2",
                "apiToken: hunter2",
                "stripeSecretKey = hunter2",
                "DB_PASSWORD=hunter2",
                "db-password: hunter2",
                "spring.datasource.password=hunter2",
                "\"clientSecret\":\"hunter2\"",
                "x-api-key: hunter2",
                "AccessToken=hunter2",
                "dbpassword=hunter2",
                "PWD=hunter2",
                "MYSQL_ROOT_PASSWORD='hunter2'"
            })
    void namesAtEveryBoundary(String line) {
        assertThat(redactor.redact(line).text()).doesNotContain("hunter2");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "password=hunter2",
                "password = hunter2",
                "password\t=\thunter2",
                "password      =      hunter2",
                "password\u00a0=\u00a0hunter2",
                "password:hunter2",
                "password :  hunter2",
                "password => hunter2",
                "\"password\"=>\"hunter2\"",
                "[password] => hunter2",
                "'password' => 'hunter2'",
                "password := hunter2",
                "{\"password\": [\"hunter2\"]}"
            })
    void valuesAfterEverySeparator(String line) {
        assertThat(redactor.redact(line).text()).doesNotContain("hunter2").contains("[REDACTED:SECRET_PAIR]");
    }

    @Test
    void rubyHashesAndHeaderArraysAreMaskedWhole() {
        assertThat(redactor.redact("{\"password\"=>\"hunter2 with spaces\", \"user\"=>\"bob\"}")
                        .text())
                .isEqualTo("{\"password\"=>\"[REDACTED:SECRET_PAIR]\", \"user\"=>\"bob\"}");
        assertThat(redactor.redact("{\"headers\":{\"Authorization\":[\"Basic dXNlcjpodW50ZXIy\"]}}")
                        .text())
                .isEqualTo("{\"headers\":{\"Authorization\":[\"Basic [REDACTED:AUTHORIZATION_HEADER]\"]}}");
        assertMasked(
                "Authorization: Digest username=\"bob\", response=\"6629fae49393a05397450978507c4ef1\"",
                "6629fae4",
                "AUTHORIZATION_HEADER");
    }

    @Test
    void urlCredentials() {
        assertMasked("connecting to redis://:hunter2@cache.internal:6379", "hunter2", "URL_CREDENTIALS");
        assertMasked("postgres://app:hun/ter2@db.internal:5432/pay", "hun/ter2", "URL_CREDENTIALS");
        assertMasked("amqp://user:p4ss:w/rd@mq.internal/vhost", "p4ss:w/rd", "URL_CREDENTIALS");
        assertMasked("https://deploy:0#aaaaaaaa@git.example.com/repo.git", "0#aaaaaaaa", "URL_CREDENTIALS");
        assertUntouched("GET https://api.example.com:8443/v1/users?email=bob@example.com 200");
        assertUntouched("see https://example.com/a/b@c");
    }

    @Test
    void privateKeyBlocks() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd==\n-----END RSA PRIVATE KEY-----";
        assertMasked("key: " + pem + " done", "MIIEow", "PRIVATE_KEY");
        assertThat(redactor.redact("key: " + pem + " done").text()).isEqualTo("key: [REDACTED:PRIVATE_KEY] done");
        String pgp =
                "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGB1c2VyAQgAz\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----";
        assertMasked(pgp, "lQOYBGB1c2VyAQgAz", "PRIVATE_KEY");
        assertMasked(
                "{\"type\":\"service_account\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n"
                        + "-----END PRIVATE KEY-----\\n\",\"client_email\":\"x@p.iam.gserviceaccount.com\"}",
                "MIIEvQIBADANBg",
                "PRIVATE_KEY");
        assertUntouched("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
    }

    @Test
    void jwts() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assertMasked("Bearer " + jwt, "dozjgNryP4J3", "JWT");
        assertMasked("token%3D" + jwt, "dozjgNryP4J3", "JWT");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GITHUB_TOKEN|ghp_16C7e42F292c6912E7710c838347Ae178B4a",
                "GITHUB_TOKEN|gho_16C7e42F292c6912E7710c838347Ae178B4a",
                "GITHUB_TOKEN|ghs_16C7e42F292c6912E7710c838347Ae178B4a",
                "GITHUB_TOKEN|github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqr",
                "SLACK_TOKEN|xoxb-2614568102-4564281046115-AbCdEfGhIjKlMnOpQrStUvWx",
                "SLACK_TOKEN|xoxp-2614568102-2614568103-4564281046115-0123456789abcdef0123456789abcdef",
                "GCP_API_KEY|AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
                "STRIPE_KEY|sk_live_4eC39HqLyjWDarjtT1zdp7dc",
                "STRIPE_KEY|rk_live_51H8abcdefGHIJKLmnopQRSTuv",
                "GITLAB_TOKEN|glpat-xxxxxxxxxxxxxxxxxxxx",
                "NPM_TOKEN|npm_abcdefghijklmnopqrstuvwxyz0123456789",
                "SENDGRID_API_KEY|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",
                "TWILIO_API_KEY|SK0123456789abcdef0123456789abcdef",
                "SHOPIFY_TOKEN|shpat_0123456789abcdef0123456789abcdef",
                "DIGITALOCEAN_TOKEN|dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "TELEGRAM_BOT_TOKEN|123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ",
                "DISCORD_BOT_TOKEN|MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
                "AZURE_CLIENT_SECRET|abc8Q~defghijklmnopqrstuvwxyz0123456789",
                "HUGGINGFACE_TOKEN|hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
                "AGE_SECRET_KEY|AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"
            })
    void providerTokensByShape(String kindAndToken) {
        String kind = kindAndToken.substring(0, kindAndToken.indexOf('|'));
        String token = kindAndToken.substring(kindAndToken.indexOf('|') + 1);
        assertMasked("calling with " + token + " now", token, kind);
        assertMasked("{\"value\":\"" + token + "\"}", token, kind);
    }

    @Test
    void tokensInsideUrlsAndWebhooks() {
        assertMasked(
                "git clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/app.git",
                "ghp_16C7",
                "GITHUB_TOKEN");
        assertMasked(
                "https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/a/b",
                "ghs_16C7",
                "GITHUB_TOKEN");
        String hook = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        Redactor.Result r = redactor.redact("posting to " + hook);
        assertThat(r.text()).isEqualTo("posting to https://hooks.slack.com/[REDACTED:SLACK_WEBHOOK]");
        assertMasked(
                "https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz0123456789",
                "abcdefghijklmnop",
                "DISCORD_WEBHOOK");
    }

    @Test
    void azureConnectionStringsAndSas() {
        assertMasked(
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net",
                "Eby8vdM02xNOcqFl",
                "AZURE_STORAGE_KEY");
        assertMasked(
                "GET https://acme.blob.core.windows.net/c/b.txt?sv=2022-11-02&ss=b&sp=r&sig=abc%2Bdef%2Fghi%3D",
                "abc%2Bdef", "AZURE_SAS_SIGNATURE");
        assertMasked(
                "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abcDEF123+/=xyz",
                "abcDEF123",
                "AZURE_STORAGE_KEY");
    }

    @Test
    void awsSecretAccessKey() {
        assertMasked(
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "wJalrXUtnFEMI",
                "AWS_SECRET_ACCESS_KEY");
        assertMasked(
                "{\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}",
                "wJalrXUtnFEMI",
                "AWS_SECRET_ACCESS_KEY");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fetched arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/partner-api-key-Xy12Ab",
                "SecretId=arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/partner-api-key-Xy12Ab",
                "secret: arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/db-password-AbCdEf",
                "the token expired",
                "password reset requested for user 42",
                "missing api_key parameter",
                "token_type=Bearer expires_in=3600",
                "password_length=12 passwordPolicy=strict",
                "hasPassword=true",
                "NextToken=AAMA-EFRSURBSGhaWm9YWGJzZ3dB",
                "\"token\": null",
                "password: ********",
                "REPORT RequestId: 06e8554f-3109-426f-8992-0c834de2ac20\tDuration: 12.3 ms",
                "build 3f786850e387550fdab836ed7e6dc881de23001b passed",
                "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "PWD=/var/task",
                "rotating secret key for tenant 42 (keyId=k-123)",
                "api_key_id=key-2024-01",
                "{\"keyName\":\"orders\",\"partitionKey\":\"p-17\",\"idempotencyKey\":\"c0ffee\"}",
                "User-Agent: aws-sdk-java/2.20 Credentials provider chain",
                "skipping tokenizer for /v1/tokens",
                "AccessDenied: User arn:aws:sts::123456789012:assumed-role/x/y is not authorized",
                "status=pass"
            })
    void namesAndIdsSurvive(String line) {
        assertUntouched(line);
    }

    @Test
    void aKeyBlockSplitOverEventsIsMaskedWholeThroughWindow() {
        var first = redactor.window("INFO -----BEGIN OPENSSH PRIVATE KEY-----", 1024, false);
        assertThat(first.openKeyBlock()).isTrue();
        var body = redactor.window("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU", 1024, true);
        assertThat(body.text()).isEqualTo("[REDACTED:PRIVATE_KEY]");
        assertThat(body.openKeyBlock()).isTrue();
        var end = redactor.window("-----END OPENSSH PRIVATE KEY----- then password=x", 1024, true);
        assertThat(end.text()).isEqualTo("[REDACTED:PRIVATE_KEY] then password=[REDACTED:SECRET_PAIR]");
        assertThat(end.openKeyBlock()).isFalse();
    }

    @Test
    void theWindowNeverShowsAPartOfASecretThatStartsBeforeTheCut() {
        String text = "x".repeat(1000) + " password=" + "h".repeat(100);
        var r = redactor.window(text, 1020, false);
        assertThat(r.text()).doesNotContain("hhh").hasSizeLessThanOrEqualTo(1020);
        // a long key block before the cut shrinks to its mask; what lies past the cut never moves in
        String after = "-----BEGIN PRIVATE KEY-----\n" + "A".repeat(20_000) + "\n-----END PRIVATE KEY-----" + " tail";
        var s = redactor.window(after, 100, false);
        assertThat(s.text()).isEqualTo("[REDACTED:PRIVATE_KEY]");
    }

    @Test
    void maskingTwiceChangesNothing() {
        String once = redactor.redact("password=hunter2 postgres://a:b@c " + AKIA + " Authorization: Bearer abc")
                .text();
        assertThat(redactor.redact(once).text()).isEqualTo(once);
        assertThat(redactor.redact(once).kinds()).isEmpty();
    }

    @Test
    void kindsComeInAFixedOrder() {
        assertThat(redactor.redact("password=x " + AKIA).kinds())
                .isEqualTo(List.of("AWS_ACCESS_KEY_ID", "SECRET_PAIR"));
    }

    @Test
    void shouldMaskAShortFieldEveryTimeWhateverWasSeenBefore() {
        Redactor r = new Redactor();
        String clean = "ProcessingLatency";
        String secret = "AKIAIOSFODNN7EXAMPLE";
        for (int i = 0; i < 3; i++) {
            assertThat(r.maskedHead(clean, 1_000)).isEqualTo(clean);
            assertThat(r.maskedHead(secret, 1_000)).isEqualTo("[REDACTED:AWS_ACCESS_KEY_ID]");
        }
        // far more distinct clean texts than are remembered: each answer is still right
        for (int i = 0; i < 5 * Redactor.CLEAN_MAX_ENTRIES; i++) {
            assertThat(r.maskedHead("metric-" + i, 1_000)).isEqualTo("metric-" + i);
        }
        assertThat(r.maskedHead(secret, 1_000)).isEqualTo("[REDACTED:AWS_ACCESS_KEY_ID]");
        // a text remembered as clean is not clean once cut shorter than it is
        assertThat(r.maskedHead(clean, 5)).isEqualTo("Proce");
    }
}
