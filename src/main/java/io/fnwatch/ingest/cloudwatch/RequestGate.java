package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.ingest.TokenBuckets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Every AWS request of the puller passes here: it first takes a token from the bucket shared by its account and
 * region (so many log groups together stay inside the CloudWatch Logs quota), then retries throttling, 5xx and
 * network failures with {@link Backoff}. Waiting goes through {@link Sleeper}, so tests never sleep for real.
 */
final class RequestGate {

    /** Waits; tests record the waits and advance their clock instead. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

    private final TokenBuckets buckets;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Sleeper sleeper;

    RequestGate(TokenBuckets buckets, Backoff backoff, int maxAttempts, Sleeper sleeper) {
        this.buckets = buckets;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.sleeper = sleeper;
    }

    <T> T call(String rateKey, String what, Supplier<T> request) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            buckets.bucket(rateKey).asBlocking().consume(1, sleeper::sleep);
            try {
                return request.get();
            } catch (AwsServiceException | SdkClientException e) {
                if (!retryable(e) || attempt >= maxAttempts) {
                    throw e;
                }
                long delay = backoff.delayMs(attempt - 1);
                LOG.warn(
                        "{} for {} failed ({}); retry {} of {} in {} ms",
                        what,
                        rateKey,
                        reason(e),
                        attempt,
                        maxAttempts - 1,
                        delay);
                sleeper.sleep(delay * 1_000_000L);
            }
        }
    }

    static boolean retryable(RuntimeException e) {
        if (e instanceof AwsServiceException a) {
            return a.isThrottlingException() || a.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    private static String reason(RuntimeException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + " " + a.statusCode();
        }
        return e.getClass().getSimpleName();
    }
}
