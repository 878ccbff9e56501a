package io.fnwatch.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One function's concurrency over one closed slice of event time, as its detector hands it to the account's
 * aggregation (the internal topic {@code concurrency-by-account}): the busy time, in milliseconds, of each
 * sub-slice of {@code subMs} in the slice {@code [sliceStart, sliceStart + sliceMs)}. Busy time over a
 * sub-slice's length is the mean number of executions running in it; summing records of one slice is the
 * account's concurrency, whatever order they arrive in. {@code closedAt} is the
 * function's stream time when it closed the slice: the account's clock moves with it. Only functions with invocations in a slice send one.
 */
public record ConcurrencySlice(
        String tenant,
        String provider,
        String account,
        String region,
        String function,
        long sliceStart,
        long sliceMs,
        long subMs,
        double[] busyMs,
        long closedAt) {

    /** The account aggregation's key: {@code tenant|provider|account|region}. */
    @JsonIgnore
    public String accountKey() {
        return accountKey(tenant, provider, account, region);
    }

    public static String accountKey(String tenant, String provider, String account, String region) {
        return tenant + '|' + provider + '|' + account + '|' + region;
    }
}
