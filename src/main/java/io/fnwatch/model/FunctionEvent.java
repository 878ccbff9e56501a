package io.fnwatch.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One normalized log event. Every input log event becomes exactly one of these or one dead letter.
 * Fields are null when the source does not carry them. {@code message} is redacted and truncated;
 * {@code secrets} names the kinds of secret that were masked in it (null when none); {@code metrics} are the
 * custom metric values of a {@link EventKind#METRIC} event (null otherwise).
 */
public record FunctionEvent(
        String tenant,
        String provider,
        String account,
        String region,
        String function,
        String version,
        Instant timestamp,
        EventKind kind,
        String status,
        String requestId,
        Double durationMs,
        Double billedDurationMs,
        Integer memorySizeMb,
        Integer maxMemoryUsedMb,
        Double initDurationMs,
        Boolean coldStart,
        String errorType,
        String runtime,
        String principal,
        String action,
        String resource,
        String message,
        String source,
        List<String> secrets,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<MetricSample> metrics) {

    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    public static final String TIMEOUT = "timeout";

    @JsonIgnore
    public FunctionKey key() {
        return FunctionKey.of(this);
    }

    /**
     * This event with its identity and label strings (tenant to version, status, error type, runtime) replaced by
     * {@code same}'s answer for each (null stays null); ids, messages and numbers are kept as they are.
     */
    public FunctionEvent withSharedStrings(UnaryOperator<String> same) {
        return new FunctionEvent(
                shared(tenant, same),
                shared(provider, same),
                shared(account, same),
                shared(region, same),
                shared(function, same),
                shared(version, same),
                timestamp,
                kind,
                shared(status, same),
                requestId,
                durationMs,
                billedDurationMs,
                memorySizeMb,
                maxMemoryUsedMb,
                initDurationMs,
                coldStart,
                shared(errorType, same),
                shared(runtime, same),
                principal,
                action,
                resource,
                message,
                source,
                secrets,
                metrics);
    }

    private static String shared(String s, UnaryOperator<String> same) {
        return s == null ? null : same.apply(s);
    }

    @JsonIgnore
    public long epochMillis() {
        return timestamp.toEpochMilli();
    }

    @JsonIgnore
    public boolean isTimeout() {
        return TIMEOUT.equals(status);
    }

    @JsonIgnore
    public boolean isColdStart() {
        return Boolean.TRUE.equals(coldStart);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parsers fill what they find; everything else stays null. */
    public static final class Builder {
        public String tenant;
        public String provider;
        public String account;
        public String region;
        public String function;
        public String version;
        public Instant timestamp;
        public EventKind kind = EventKind.LOG;
        public String status;
        public String requestId;
        public Double durationMs;
        public Double billedDurationMs;
        public Integer memorySizeMb;
        public Integer maxMemoryUsedMb;
        public Double initDurationMs;
        public Boolean coldStart;
        public String errorType;
        public String runtime;
        public String principal;
        public String action;
        public String resource;
        public String message;
        public String source;
        public List<String> secrets;
        public List<MetricSample> metrics;

        public FunctionEvent build() {
            return new FunctionEvent(
                    tenant,
                    provider,
                    account,
                    region,
                    function,
                    version,
                    timestamp,
                    kind,
                    status,
                    requestId,
                    durationMs,
                    billedDurationMs,
                    memorySizeMb,
                    maxMemoryUsedMb,
                    initDurationMs,
                    coldStart,
                    errorType,
                    runtime,
                    principal,
                    action,
                    resource,
                    message,
                    source,
                    secrets,
                    metrics);
        }
    }
}
