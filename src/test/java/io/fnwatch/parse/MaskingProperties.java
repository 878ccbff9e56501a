package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 14: masking never changes a line that holds no secret pattern's value. Lines are built from benign
 * vocabulary — prose that names secrets, ARNs of many services, secret-store names, IAM actions, numbers,
 * UUIDs, digests, and secret names followed by values that are none (placeholders, references, numbers, names).
 */
class MaskingProperties {

    private final Redactor redactor = new Redactor();

    @Property(tries = 3000)
    void maskingNeverChangesABenignLine(@ForAll("benignLines") String line) {
        Redactor.Result r = redactor.redact(line);
        assertThat(r.text()).isEqualTo(line);
        assertThat(r.kinds()).isEmpty();
    }

    private static final List<String> SECRET_NAMES = List.of(
            "password",
            "DB_PASSWORD",
            "dbPassword",
            "api_key",
            "apiKey",
            "x-api-key",
            "token",
            "accessToken",
            "refresh_token",
            "client_secret",
            "clientSecret",
            "SECRET_KEY",
            "secret",
            "credentials",
            "passphrase",
            "private_key",
            "Authorization",
            "sessionToken",
            "signingKey");

    private static final List<String> PROSE = List.of(
            "the",
            "token",
            "expired",
            "password",
            "reset",
            "requested",
            "for",
            "user",
            "api",
            "key",
            "rotated",
            "secret",
            "not",
            "found",
            "credentials",
            "missing",
            "Authorization",
            "header",
            "x-api-key",
            "refresh",
            "access",
            "denied",
            "GetSecretValue",
            "secretsmanager:GetSecretValue",
            "kms:Decrypt",
            "ssm:GetParameter",
            "sts:GetSessionToken",
            "iam:CreateAccessKey",
            "on",
            "resource:",
            "because",
            "loaded",
            "from",
            "Secrets",
            "Manager",
            "SSM",
            "/prod/db/password",
            "/prod/api/token");

    @Provide
    Arbitrary<String> benignLines() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of(PROSE),
                arns(),
                Arbitraries.integers().between(-100_000, 100_000).map(String::valueOf),
                Arbitraries.create(java.util.UUID::randomUUID).map(java.util.UUID::toString),
                Arbitraries.strings()
                        .withCharRange('0', '9')
                        .withCharRange('a', 'f')
                        .ofLength(40),
                emptyPairs());
        return token.list()
                .ofMinSize(1)
                .ofMaxSize(12)
                .flatMap(ts -> Arbitraries.of(" ", ", ", " | ", "\t").map(sep -> String.join(sep, ts)));
    }

    private static Arbitrary<String> arns() {
        Arbitrary<String> partition = Arbitraries.of("aws", "aws-cn", "aws-us-gov");
        Arbitrary<String> account = Arbitraries.strings().numeric().ofLength(12);
        Arbitrary<String> resource = Arbitraries.of(
                "secretsmanager:us-east-1:%s:secret:prod/partner-api-key-Xy12Ab",
                "secretsmanager:eu-west-2:%s:secret:token:db-password-AbC123",
                "ssm:us-east-1:%s:parameter/prod/db/password",
                "kms:us-east-1:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "iam::%s:role/secret-rotator",
                "iam::%s:user/api-token-issuer",
                "lambda:us-east-1:%s:function:rotate-secret:live",
                "sts::%s:assumed-role/token-refresher/session",
                "apigateway:us-east-1::/apikeys/abcd1234");
        Arbitrary<String> wrap = Arbitraries.of("%s", "(%s)", "[%s]", "resource=%s", "resource:%s", "\"%s\"", "<%s>");
        return Combinators.combine(partition, account, resource, wrap)
                .as((p, a, r, w) -> w.formatted("arn:" + p + ":" + r.formatted(a)));
    }

    private static Arbitrary<String> emptyPairs() {
        Arbitrary<String> value = Arbitraries.of(
                "",
                "null",
                "None",
                "undefined",
                "true",
                "false",
                "***",
                "********",
                "<redacted>",
                "[REDACTED]",
                "${DB_PASSWORD}",
                "{{ secrets.API_TOKEN }}",
                "process.env.API_KEY",
                "$API_TOKEN",
                "ssm:/prod/db/password",
                "DB_PASSWORD",
                "x-api-key",
                "/prod/db/password");
        Arbitrary<String> number = Arbitraries.integers().between(0, 99_999).map(String::valueOf);
        Arbitrary<String> sep = Arbitraries.of("=", ": ", " = ", ":=", " => ");
        Arbitrary<String> plain = Combinators.combine(Arbitraries.of(SECRET_NAMES), sep, value)
                .as((n, s, v) -> n + s + v + ";"); // an empty value ends; "password= x" would be the value x
        Arbitrary<String> quoted =
                Combinators.combine(Arbitraries.of(SECRET_NAMES), value).as((n, v) -> "{\"" + n + "\":\"" + v + "\"}");
        Arbitrary<String> numeric = Combinators.combine(
                        Arbitraries.of(SECRET_NAMES)
                                .filter(n -> !n.toLowerCase().contains("pass")),
                        sep,
                        number)
                .as((n, s, v) -> n + s + v);
        return Arbitraries.oneOf(plain, quoted, numeric);
    }
}
