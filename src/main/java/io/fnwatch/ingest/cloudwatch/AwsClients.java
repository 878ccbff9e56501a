package io.fnwatch.ingest.cloudwatch;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * AWS SDK v2 clients for one source. The SDK's own retries are off: {@link RequestGate} retries with the
 * shared rate limit and its own backoff, so that throttling is seen and counted rather than hidden.
 */
final class AwsClients implements AutoCloseable {

    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
    private final CloudWatchSettings settings;
    private final AwsCredentialsProvider base;

    /** @param base credentials of this process (the default chain in production, static ones in tests) */
    AwsClients(CloudWatchSettings settings, AwsCredentialsProvider base) {
        this.settings = settings;
        this.base = base;
    }

    CloudWatchLogsClient logs(CloudWatchSource source) {
        return configure(CloudWatchLogsClient.builder(), source, settings.endpoint())
                .build();
    }

    LambdaClient lambda(CloudWatchSource source) {
        return configure(LambdaClient.builder(), source, settings.lambdaEndpoint())
                .build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, CloudWatchSource source, String endpoint) {
        builder.httpClient(http)
                .region(Region.of(source.region()))
                .credentialsProvider(credentials(source))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(90))
                        .build());
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }

    /** The source's role, assumed with its external id (and refreshed before expiry), or the base credentials. */
    private AwsCredentialsProvider credentials(CloudWatchSource source) {
        if (source.roleArn() == null) {
            return base;
        }
        var sts = StsClient.builder()
                .httpClient(http)
                .region(Region.of(source.region()))
                .credentialsProvider(base);
        if (!settings.stsEndpoint().isEmpty()) {
            sts.endpointOverride(URI.create(settings.stsEndpoint()));
        }
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts.build())
                .refreshRequest(r -> r.roleArn(source.roleArn())
                        .roleSessionName("fnwatch-cloudwatch")
                        .externalId(source.externalId()))
                .build();
    }

    @Override
    public void close() {
        http.close();
    }
}
