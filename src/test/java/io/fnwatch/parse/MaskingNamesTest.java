package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14: masking hides values, never names. Each class of name that was masked (ARNs, secret-store names,
 * IAM actions, header names, references, placeholders, numbers, names used as values) survives, and a value
 * next to it is still masked.
 */
class MaskingNamesTest {

    private final Redactor redactor = new Redactor();

    private void assertUntouched(String line) {
        Redactor.Result r = redactor.redact(line);
        assertThat(r.text()).as(line).isEqualTo(line);
        assertThat(r.kinds()).as(line).isEmpty();
    }

    private void assertMasked(String line, String secret, String kept) {
        Redactor.Result r = redactor.redact(line);
        assertThat(r.text())
                .as(line)
                .doesNotContain(secret)
                .contains("[REDACTED:")
                .contains(kept);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // ARNs of every service, in every context a message puts them in
                "(arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/partner-api-key-Xy12Ab)",
                "[arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/partner-api-key-Xy12Ab]",
                "resource:arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/partner-api-key-Xy12Ab",
                "<arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:token:api-Xy12Ab>",
                "{\"Resource\":[\"arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password\","
                        + "\"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]}",
                "arn:aws:iam::123456789012:role/secret-rotator",
                "arn:aws-us-gov:iam::123456789012:role/api-token-issuer",
                "arn:aws:lambda:us-east-1:123456789012:function:rotate-secret:live",
                "arn:aws:lambda:us-east-1:123456789012:function:token-refresher:prod",
                "arn:aws:sts::123456789012:assumed-role/secret-reader/session-1",
                "subject_token_type=urn:ietf:params:oauth:token-type:access_token"
            })
    void arnsOfEveryServiceSurvive(String line) {
        assertUntouched(line);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SSM parameter /prod/db/password not found",
                "{\"Name\":\"/prod/db/password\",\"WithDecryption\":true}",
                "projects/acme/secrets/db-password/versions/latest",
                "\"Action\": [\"secretsmanager:GetSecretValue\", \"kms:Decrypt\", \"sts:GetSessionToken\"]",
                "eventName=GetSecretValue eventSource=secretsmanager.amazonaws.com",
                "not authorized to perform: iam:CreateAccessKey",
                "x-api-key: header missing",
                "request headers: [content-type, x-api-key, authorization]",
                "Access-Control-Allow-Headers: Content-Type,Authorization,X-Api-Key"
            })
    void storeNamesActionsAndHeaderNamesSurvive(String line) {
        assertUntouched(line);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DB_PASSWORD=${DB_PASSWORD}",
                "token: {{ secrets.API_TOKEN }}",
                "apiKey: process.env.API_KEY",
                "api_key=os.environ[\"API_KEY\"]",
                "password=$DB_PASSWORD",
                "dbPassword: ssm:/prod/db/password",
                "password: '{{resolve:secretsmanager:prod/db:SecretString:password}}'",
                "\"clientSecret\": \"@Microsoft.KeyVault(SecretUri=https://acme.vault.azure.net/secrets/x/)\"",
                "password = :password",
                "secret: <redacted>",
                "password: ***REDACTED***",
                "token=xxxx",
                "\"db_password\": \"not set\"",
                "{'password': None, 'user': 'u1'}",
                "env AWS_SESSION_TOKEN= AWS_REGION=us-east-1",
                "Authorization: Bearer undefined"
            })
    void referencesAndPlaceholdersSurvive(String line) {
        assertUntouched(line);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "token=12345",
                "token: 3600",
                "apiKey: -1",
                "password_reset_token_expiry=3600",
                "\"sessionToken\": 2.5",
                "token_ttl=30m",
                "tokenHeader=x-api-key",
                "passwordKey=DB_PASSWORD",
                "{\"secret\":\"API_KEY\"}",
                "password_field=password_confirm",
                "secretName: /prod/db/password"
            })
    void numbersAndNamesAsValuesSurvive(String line) {
        assertUntouched(line);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // a value next to an ARN is still a value
                "(arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/db) password=Hunter2xyz!|Hunter2xyz|"
                        + "arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/db",
                "arn:aws:s3:::b/k?X-Amz-Security-Token=FwoGZXIvYXdzEBYaDH7abc|FwoGZXIvYXdzEBYaDH7|arn:aws:s3:::b/k",
                "resource=arn:aws:ssm:us-east-1:1:parameter/prod/db/password token=ab12Cd34ef56|ab12Cd34ef56|"
                        + "parameter/prod/db/password",
                // numbers are passwords under a password's name; human passwords are no names
                "password=123456|123456|password=",
                "DB_PASSWORD=Password-123|Password-123|DB_PASSWORD=",
                "secret: Secret_2024|Secret_2024|secret: ",
                "password=$Ab3xK9!|$Ab3xK9!|password=",
                "apiKey: 0f8fad5b-d9cb-469f-a165-70867728950e|0f8fad5b-d9cb|apiKey: ",
                "x-api-key: 8fJ2kLq9ZxPw4RtY|8fJ2kLq9ZxPw4RtY|x-api-key: ",
                // weak secrets that look like names or references are still secrets
                "JWT_SECRET=my-secret-key|my-secret-key|JWT_SECRET=",
                "password=$ecret_pw|$ecret_pw|password=",
                "password=@dm1n123|@dm1n123|password=",
                "passphrase: \"the quick brown fox\"|the quick brown fox|passphrase: ",
                "apiKey=12345678901234|12345678901234|apiKey="
            })
    void valuesNextToNamesAreStillMasked(String line, String secret, String kept) {
        assertMasked(line, secret, kept);
    }
}
