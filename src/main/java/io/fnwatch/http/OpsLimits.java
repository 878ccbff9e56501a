package io.fnwatch.http;

import com.sun.net.httpserver.HttpExchange;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits of the ops HTTP port, per client address: requests of any kind ({@code ops.http.rate.*}), and
 * failed authentications (a wrong or missing tenant key on {@code /ui/login}, {@code /functions} or the
 * console's internal history: {@code ops.http.auth.failures.*}), after which every authentication from that
 * address is refused with 429, a correct key too, until the bucket refills: otherwise a guesser would learn
 * from the answer which guess was right. Refusals are counted in {@code fnwatch.ops.http.refused} (by reason)
 * and logged at most once a minute per address. The client address is the socket's peer; an IPv6 address counts
 * by its /64 (what one host usually holds). Behind a reverse proxy every client has the proxy's address, unless
 * {@code ops.http.forwarded.trust} says to take the last address of {@code X-Forwarded-For} (which only a proxy
 * that sets it, and a port that only the proxy can reach, make trustworthy).
 */
public final class OpsLimits {

    private static final Logger LOG = LoggerFactory.getLogger(OpsLimits.class);
    /** The request attribute the request-rate handler leaves the client address in. */
    static final String CLIENT = "fnwatch.client";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Why a request was refused: the tag of {@code fnwatch.ops.http.refused}. */
    public enum Refusal {
        RATE,
        AUTH_FAILURES,
        BODY_TOO_LARGE,
        CROSS_ORIGIN
    }

    private final ClientBuckets requests;
    private final ClientBuckets failures;
    private final boolean trustForwarded;
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);

    OpsLimits(ClientBuckets requests, ClientBuckets failures, boolean trustForwarded, MeterRegistry registry) {
        this.requests = requests;
        this.failures = failures;
        this.trustForwarded = trustForwarded;
        for (Refusal r : Refusal.values()) {
            refused.put(
                    r,
                    Counter.builder("fnwatch.ops.http.refused")
                            .description("Requests the ops HTTP port refused: over the client's rate (429), after "
                                    + "too many failed sign-ins (429), a sign-in body too large (413), cross-origin "
                                    + "(403)")
                            .tag("reason", r.name().toLowerCase(java.util.Locale.ROOT))
                            .register(registry));
        }
    }

    public static OpsLimits of(FnwatchConfig c, MeterRegistry registry, TimeMeter time) {
        int max = c.integer(OpsSettings.CLIENTS_MAX);
        double perSecond = c.doubleValue(OpsSettings.RATE_PER_SECOND);
        ClientBuckets requests =
                perSecond <= 0 ? null : new ClientBuckets(perSecond * 60, c.integer(OpsSettings.RATE_BURST), max, time);
        ClientBuckets failures = new ClientBuckets(
                c.doubleValue(OpsSettings.AUTH_FAILURES_PER_MINUTE),
                c.integer(OpsSettings.AUTH_FAILURES_BURST),
                max,
                time);
        return new OpsLimits(requests, failures, c.bool(OpsSettings.FORWARDED_TRUST), registry);
    }

    /** The defaults, counted nowhere: for tests and for servers that watch no meters. */
    public static OpsLimits defaults() {
        return of(FnwatchConfig.of(Map.of()), new CompositeMeterRegistry(), TimeMeter.SYSTEM_NANOTIME);
    }

    public boolean trustForwarded() {
        return trustForwarded;
    }

    /** The address a request's limits are kept under (see the class comment). */
    public String client(HttpExchange x) {
        Object known = x.getAttribute(CLIENT);
        if (known instanceof String s) {
            return s;
        }
        return client(x.getRemoteAddress(), x.getRequestHeaders().get("X-Forwarded-For"));
    }

    String client(InetSocketAddress peer, java.util.List<String> forwardedFor) {
        if (trustForwarded && forwardedFor != null && !forwardedFor.isEmpty()) {
            String all = forwardedFor.get(forwardedFor.size() - 1);
            String last = all.substring(all.lastIndexOf(',') + 1).trim();
            InetAddress a = literal(last);
            if (a != null) {
                return key(a);
            }
        }
        return peer == null || peer.getAddress() == null ? "unknown" : key(peer.getAddress());
    }

    /** An IP literal only, never a name (no DNS lookup for what a client wrote), or null. */
    private static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (!IPV4.matcher(t).matches()
                && !(t.indexOf(':') >= 0 && IPV6.matcher(t).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String key(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            StringBuilder s = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)))
                        .append(':');
            }
            return s.append(":/64").toString();
        }
        return a.getHostAddress();
    }

    /** Takes a request of {@code client}: 0 when within its rate, else the seconds to wait (counted, logged). */
    long request(String client, String what) {
        if (requests == null) {
            return 0;
        }
        long wait = requests.take(client);
        if (wait > 0) {
            refused(Refusal.RATE);
            if (requests.logNow(client)) {
                LOG.warn("ops HTTP: {} is over its request rate (refused {}; logged once a minute)", client, what);
            }
        }
        return wait;
    }

    /**
     * Whether {@code client} may try a key now: 0 when it may, else the seconds to wait (the refusal counted and
     * logged). A correct key is refused as well while it must wait.
     */
    public long authenticationWait(String client) {
        long wait = failures.waitFor(client);
        if (wait > 0) {
            refused(Refusal.AUTH_FAILURES);
            if (failures.logNow(client)) {
                LOG.warn(
                        "ops HTTP: {} failed to authenticate too often; refusing its keys for {} s (logged once a "
                                + "minute)",
                        client,
                        wait);
            }
        }
        return wait;
    }

    /** A wrong or missing key from {@code client}. */
    public void authenticationFailed(String client) {
        failures.take(client);
    }

    public void refused(Refusal why) {
        refused.get(why).increment();
    }

    /** Addresses held by the two limits (each bounded by {@code ops.http.clients.max}). */
    int clients() {
        return failures.size() + (requests == null ? 0 : requests.size());
    }
}
