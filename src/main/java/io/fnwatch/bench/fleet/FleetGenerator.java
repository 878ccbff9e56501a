package io.fnwatch.bench.fleet;

import io.fnwatch.model.AlertType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws a fleet. Most functions are the <em>mixed</em> population: rates log-uniform from a few a day to {@code
 * maxPerMinute}, daily and weekly rhythms, lognormal durations, cold starts, rare timeouts, benign background
 * denials, deployments that shift durations by up to 15 %, dormant functions, and labelled incidents of the
 * earlier kinds at known times. The rest are dedicated classes, each a fixed share of the fleet drawn from its
 * own random stream (adding a class reshuffles none of the others):
 *
 * <ul>
 *   <li>{@code quiet-*}: 8 %, at 0.05–1 call a minute, each with one {@code TRAFFIC_SPIKE} of ×10–×30 its usual
 *       rate for 15–30 minutes (shape {@code quiet-x10} below ×20, {@code quiet-x20} from ×20);
 *   <li>{@code drop-*}: 8 %, at 1–10 calls a minute (a third of them business-hours functions), each with one
 *       {@code TRAFFIC_DROP} to zero ({@code zero}) and one to a fifth ({@code fifth}) of the usual rate, 1–3
 *       hours long, at least two days apart;
 *   <li>{@code emf-*}: 5 %, logging custom metrics, each with a {@code METRIC_ANOMALY} ({@link #drawMetrics});
 *   <li>{@code slow-*}: 5 % at 1–3 calls a minute with a ×3 median regression ({@code median}), {@code tail-*}:
 *       5 % at 2–5 calls a minute with 15 % of calls ×10 ({@code tail}); every other one of each also gets a
 *       timeout surge ({@code timeouts}: 25 % of calls time out, against 0.1 % usually), 30–60 minutes each;
 *   <li>{@code office-*}: 5 %, benign business-hours functions at 0.2–5 calls a minute, silent at night and at
 *       weekends;
 *   <li>{@code cron-*}: 5 %, benign scheduled functions, one call every 5, 15 or 60 minutes on the dot;
 *   <li>{@code err-*}: 6 %, failing 0.2–3 % of their calls as a rule, each with two {@code ERROR_BURST}s a day or
 *       more apart: two functions in three busy (8–30 calls a minute, 30–60 % of calls failing for 15–40
 *       minutes, shape {@code busy}), the others quiet (1–3 calls a minute, 70–100 % failing for 30–60 minutes,
 *       {@code quiet}); a failure is a REPORT with {@code Status: error} and its error type, after an
 *       application ERROR line of the same request;
 *   <li>{@code cost-*}: 6 %, heavy functions (8–20 calls a minute, 1.5–2.5 GB, 2–5 s: about $0.02–0.3 an hour, so
 *       that each spike costs more than the detector's $0.05-an-hour floor), each with two
 *       {@code COST_SPIKE}s a day or more apart, driven by more calls ({@code calls}, ×4–8 for 30–90 minutes: a
 *       {@code TRAFFIC_SPIKE} too), longer billed durations ({@code duration}, ×3–5 for 30–90 minutes: a
 *       {@code DURATION_ANOMALY} too) or more memory after a deploy ({@code memory}, ×4 for 2–3 hours, then
 *       rolled back), the shapes taken in turn.
 * </ul>
 *
 * Traffic and duration incidents of the dedicated classes are planted on weekdays in the function's active
 * hours, from 11:00 UTC (to 18:00 for drops, 21:00 otherwise), where its usual rate is 0.9–1.2 times its
 * nominal rate, so that "a function at N calls a minute" is its rate at the time; traffic changes from the
 * eighth day, once a week of seasonality has been seen, durations from the fourth. Same seed, same fleet.
 */
final class FleetGenerator {

    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;
    /** Fleets start on a Monday. */
    static final long START = Instant.parse("2026-02-02T00:00:00Z").toEpochMilli();

    private static final String[] RUNTIMES = {"python:3.12.v38", "nodejs:22.v12", "java:21.v27", "python:3.13.v9"};
    static final String OUTDATED = "python:3.8.v52";

    /** Shares of the fleet of the dedicated classes, in the order they are drawn. */
    static final double QUIET = 0.08;

    static final double DROPS = 0.08;
    static final double SLOW = 0.05;
    static final double TAIL = 0.05;
    static final double OFFICE = 0.05;
    static final double CRON = 0.05;
    static final double ERRORS = 0.06;
    static final double COSTS = 0.06;
    static final double METRICS = 0.05;
    /** Functions of the accounts with a concurrency surge (in groups of {@link #ACCOUNT_FUNCTIONS}). */
    static final double SURGE = 0.06;

    static final int ACCOUNT_FUNCTIONS = 4;
    /** Functions with a reserved concurrency that they approach once. */
    static final double RESERVED = 0.03;
    /** The account limit the surges are drawn against (the concurrency detector's default). */
    static final int ACCOUNT_LIMIT = 1000;

    private final long seed;
    private final Random r;
    private final int days;

    FleetGenerator(long seed, int days) {
        this.seed = seed;
        this.r = new Random(seed);
        this.days = days;
    }

    List<FleetFunction> draw(int count, double maxPerMinute) {
        int quiet = share(count, QUIET);
        int drops = share(count, DROPS);
        int slow = share(count, SLOW);
        int tail = share(count, TAIL);
        int office = share(count, OFFICE);
        int cron = share(count, CRON);
        int errors = share(count, ERRORS);
        int costs = share(count, COSTS);
        int surge = Math.max(1, share(count, SURGE) / ACCOUNT_FUNCTIONS) * ACCOUNT_FUNCTIONS;
        int reserved = Math.max(1, share(count, RESERVED));
        int metrics = share(count, METRICS);
        List<FleetFunction> fleet = new ArrayList<>();
        drawMixed(
                count - quiet - drops - slow - tail - office - cron - errors - costs - surge - reserved - metrics,
                maxPerMinute,
                fleet);
        drawQuiet(quiet, stream(1), fleet);
        drawDrops(drops, stream(2), fleet);
        drawSlow(slow, stream(3), fleet);
        drawTail(tail, stream(4), fleet);
        drawOffice(office, stream(5), fleet);
        drawCron(cron, stream(6), fleet);
        drawErrors(errors, stream(7), fleet);
        drawCosts(costs, stream(8), fleet);
        drawSurges(surge / ACCOUNT_FUNCTIONS, stream(9), fleet);
        drawReserved(reserved, stream(10), fleet);
        drawMetrics(metrics, stream(20), fleet);
        return fleet;
    }

    private static int share(int count, double share) {
        return (int) (count * share + 0.5);
    }

    /** The random stream of one dedicated class: depends on the seed and the class only. */
    private Random stream(int id) {
        return new Random(seed * 0x9E3779B97F4A7C15L + id * 0xBF58476D1CE4E5B9L);
    }

    private void drawMixed(int count, double maxPerMinute, List<FleetFunction> fleet) {
        double low = Math.log(3.0 / 1440);
        double high = Math.log(maxPerMinute);
        for (int i = 0; i < count; i++) {
            boolean dormant = r.nextDouble() < 0.06;
            boolean outdated = r.nextDouble() < 0.05;
            double rate = dormant ? 0 : Math.exp(low + r.nextDouble() * (high - low));
            FleetFunction f = new FleetFunction(
                    String.format("fn-%03d", i),
                    outdated ? OUTDATED : RUNTIMES[r.nextInt(RUNTIMES.length)],
                    128 << r.nextInt(4),
                    rate,
                    0.3 + 0.7 * r.nextDouble(),
                    20 * Math.exp(r.nextDouble() * 4),
                    0.2 + 0.3 * r.nextDouble(),
                    0.005 + 0.02 * r.nextDouble(),
                    dormant);
            if (r.nextDouble() < 0.2) {
                f.deployAt = START + (long) ((1 + r.nextDouble() * (days - 2)) * DAY);
                f.deployShift = 1 + (r.nextBoolean() ? 1 : -1) * (0.05 + 0.10 * r.nextDouble());
            }
            plant(f, outdated);
            fleet.add(f);
        }
    }

    /** A function of a dedicated class on a current runtime, its rate given, the rest drawn as the mixed ones. */
    private static FleetFunction function(String name, double perMinute, Random g) {
        return new FleetFunction(
                name,
                RUNTIMES[g.nextInt(RUNTIMES.length)],
                128 << g.nextInt(4),
                perMinute,
                0.3 + 0.7 * g.nextDouble(),
                20 * Math.exp(g.nextDouble() * 4),
                0.2 + 0.3 * g.nextDouble(),
                0.005 + 0.02 * g.nextDouble(),
                false);
    }

    private static double logUniform(Random g, double low, double high) {
        return Math.exp(Math.log(low) + g.nextDouble() * (Math.log(high) - Math.log(low)));
    }

    private void drawQuiet(int count, Random g, List<FleetFunction> fleet) {
        for (int i = 0; i < count; i++) {
            FleetFunction f = function(String.format("quiet-%03d", i), logUniform(g, 0.05, 1), g);
            f.spikeFactor = 10 + 20 * g.nextDouble();
            int minutes = 15 + g.nextInt(16);
            long start = activeTime(g, 7, minutes, 11, 21);
            if (start >= 0) {
                f.incidents.add(new PlantedIncident(
                        AlertType.TRAFFIC_SPIKE,
                        f.name,
                        start,
                        start + minutes * MINUTE,
                        f.spikeFactor < 20 ? "quiet-x10" : "quiet-x20"));
            }
            fleet.add(f);
        }
    }

    private void drawDrops(int count, Random g, List<FleetFunction> fleet) {
        for (int i = 0; i < count; i++) {
            FleetFunction f = function(String.format("drop-%03d", i), logUniform(g, 1, 10), g);
            f.businessHours = g.nextDouble() < 1.0 / 3;
            for (String shape : new String[] {"zero", "fifth"}) {
                int minutes = 60 + g.nextInt(121);
                plantActive(f, AlertType.TRAFFIC_DROP, shape, g, 7, minutes, 11, 18, 2 * DAY);
            }
            fleet.add(f);
        }
    }

    private void drawSlow(int count, Random g, List<FleetFunction> fleet) {
        drawDurations("slow-%03d", "median", count, 1, 3, g, fleet);
    }

    private void drawTail(int count, Random g, List<FleetFunction> fleet) {
        drawDurations("tail-%03d", "tail", count, 2, 5, g, fleet);
    }

    private void drawDurations(
            String names, String shape, int count, double low, double high, Random g, List<FleetFunction> fleet) {
        for (int i = 0; i < count; i++) {
            FleetFunction f = function(String.format(names, i), low + (high - low) * g.nextDouble(), g);
            int minutes = 30 + g.nextInt(31);
            plantActive(f, AlertType.DURATION_ANOMALY, shape, g, 3, minutes, 11, 21, DAY);
            if (i % 2 == 1) {
                int surge = 30 + g.nextInt(31);
                plantActive(f, AlertType.DURATION_ANOMALY, "timeouts", g, 3, surge, 11, 21, DAY);
            }
            fleet.add(f);
        }
    }

    private static void drawOffice(int count, Random g, List<FleetFunction> fleet) {
        for (int i = 0; i < count; i++) {
            FleetFunction f = function(String.format("office-%03d", i), logUniform(g, 0.2, 5), g);
            f.businessHours = true;
            fleet.add(f);
        }
    }

    private static void drawCron(int count, Random g, List<FleetFunction> fleet) {
        int[] periods = {5, 15, 60};
        for (int i = 0; i < count; i++) {
            int period = periods[g.nextInt(periods.length)];
            FleetFunction f = function(String.format("cron-%03d", i), 1.0 / period, g);
            f.cronMinutes = period;
            fleet.add(f);
        }
    }

    private void drawErrors(int count, Random g, List<FleetFunction> fleet) {
        for (int i = 0; i < count; i++) {
            boolean busy = i % 3 != 2;
            FleetFunction f =
                    function(String.format("err-%03d", i), busy ? logUniform(g, 8, 30) : 1 + 2 * g.nextDouble(), g);
            f.errorRate = logUniform(g, 0.002, 0.03);
            f.burstErrorRate = busy ? 0.3 + 0.3 * g.nextDouble() : 0.7 + 0.3 * g.nextDouble();
            for (int k = 0; k < 2; k++) {
                int minutes = busy ? 15 + g.nextInt(26) : 30 + g.nextInt(31);
                plantActive(f, AlertType.ERROR_BURST, busy ? "busy" : "quiet", g, 2, minutes, 11, 21, DAY);
            }
            fleet.add(f);
        }
    }

    private void drawCosts(int count, Random g, List<FleetFunction> fleet) {
        String[] shapes = {"calls", "duration", "memory"};
        int next = 0;
        for (int i = 0; i < count; i++) {
            FleetFunction f = new FleetFunction(
                    String.format("cost-%03d", i),
                    RUNTIMES[g.nextInt(RUNTIMES.length)],
                    new int[] {1536, 2048, 2560}[g.nextInt(3)],
                    logUniform(g, 8, 20),
                    0.3 + 0.7 * g.nextDouble(),
                    logUniform(g, 2000, 5000),
                    0.2 + 0.2 * g.nextDouble(),
                    0.005 + 0.02 * g.nextDouble(),
                    false);
            for (int k = 0; k < 2; k++) {
                String shape = shapes[next++ % shapes.length];
                int minutes = "memory".equals(shape) ? 120 + g.nextInt(61) : 30 + g.nextInt(61);
                plantActive(f, AlertType.COST_SPIKE, shape, g, 2, minutes, 11, 21, DAY);
            }
            f.costFactor = 3 + 2 * g.nextDouble();
            fleet.add(f);
        }
    }

    /**
     * A worker of the concurrency classes: 1–5 calls a minute of about {@code durationMs} each (σ 0.1), the
     * duration its surges' extra calls take too, so that a surge is more calls (a traffic spike, planted as
     * {@code TRAFFIC_SPIKE} shape {@code surge}) and not slower ones.
     */
    private static FleetFunction worker(String name, double durationMs, Random g) {
        FleetFunction f = new FleetFunction(
                name,
                RUNTIMES[g.nextInt(RUNTIMES.length)],
                128 << g.nextInt(4),
                1 + 4 * g.nextDouble(),
                0.3 + 0.7 * g.nextDouble(),
                durationMs,
                0.1,
                0.005 + 0.02 * g.nextDouble(),
                false);
        f.surgeDurationMs = durationMs;
        return f;
    }

    /**
     * {@code surge-*}: accounts of {@value #ACCOUNT_FUNCTIONS} functions (account {@code 2100000000NN}, one a day
     * from the third, so that no two surges overlap) at 1–5 calls a minute, each with a surge of 20–40 minutes
     * in which the account runs 0.95–1.2 times its limit at once, split unevenly over its functions (none above
     * 40 % of it) by calls of 10–30 s. Planted as one account incident: function {@code "*"}, shape
     * {@code account}.
     */
    private void drawSurges(int accounts, Random g, List<FleetFunction> fleet) {
        for (int a = 0; a < accounts; a++) {
            String account = String.format("2100000000%02d", a);
            double total = ACCOUNT_LIMIT * (0.95 + 0.25 * g.nextDouble());
            int minutes = 20 + g.nextInt(21);
            long day = START + (2 + a % Math.max(1, days - 3)) * DAY;
            long start = days < 4 ? -1 : day + (11 * 60 + g.nextInt(8 * 60)) * MINUTE;
            double[] w = new double[ACCOUNT_FUNCTIONS];
            double sum = 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = 1 + g.nextDouble();
                sum += w[i];
            }
            for (int i = 0; i < ACCOUNT_FUNCTIONS; i++) {
                FleetFunction f = worker(String.format("surge-%02d-%d", a, i), 10_000 + 20_000 * g.nextDouble(), g);
                f.account = account;
                f.surgeConcurrency = total * w[i] / sum;
                if (start >= 0) {
                    f.surgeStart = start;
                    f.surgeEnd = start + minutes * MINUTE;
                    if (i == 0) {
                        f.incidents.add(new PlantedIncident(
                                AlertType.CONCURRENCY_NEAR_LIMIT, "*", start, start + minutes * MINUTE, "account"));
                    }
                    f.incidents.add(new PlantedIncident(AlertType.TRAFFIC_SPIKE, f.name, start, f.surgeEnd, "surge"));
                }
                fleet.add(f);
            }
        }
    }

    /**
     * {@code reserved-*}: functions at 1–5 calls a minute with a reserved concurrency of 20, 50 or 100 (the bench
     * sets it as a per-function override), each running 0.9–1.0 times it for 20–40 minutes once (shape
     * {@code reserved}).
     */
    private void drawReserved(int count, Random g, List<FleetFunction> fleet) {
        int[] limits = {20, 50, 100};
        for (int i = 0; i < count; i++) {
            FleetFunction f = worker(String.format("reserved-%03d", i), 2_000 + 8_000 * g.nextDouble(), g);
            f.reservedConcurrency = limits[g.nextInt(limits.length)];
            f.surgeConcurrency = f.reservedConcurrency * (0.9 + 0.1 * g.nextDouble());
            int minutes = 20 + g.nextInt(21);
            long start = activeTime(g, 3, minutes, 11, 21);
            if (start >= 0) {
                f.surgeStart = start;
                f.surgeEnd = start + minutes * MINUTE;
                f.incidents.add(new PlantedIncident(
                        AlertType.CONCURRENCY_NEAR_LIMIT, f.name, start, start + minutes * MINUTE, "reserved"));
                f.incidents.add(new PlantedIncident(AlertType.TRAFFIC_SPIKE, f.name, start, f.surgeEnd, "surge"));
            }
            fleet.add(f);
        }
    }

    /**
     * {@code emf-*}: functions at 1–20 calls a minute that log Embedded Metric Format records, each with a level
     * shift of its latency metric (×3 for 30–60 minutes, {@code shift}) and every other one also a short spike
     * (×10 for 5–10 minutes, {@code spike}).
     */
    private void drawMetrics(int count, Random g, List<FleetFunction> fleet) {
        for (int i = 0; i < count; i++) {
            FleetFunction f = function(String.format("emf-%03d", i), logUniform(g, 1, 20), g);
            f.emfLevel = 20 * Math.exp(g.nextDouble() * 3);
            plantActive(f, AlertType.METRIC_ANOMALY, "shift", g, 3, 30 + g.nextInt(31), 9, 21, DAY);
            if (i % 2 == 1) {
                plantActive(f, AlertType.METRIC_ANOMALY, "spike", g, 3, 5 + g.nextInt(6), 9, 21, DAY);
            }
            fleet.add(f);
        }
    }

    /**
     * Plants an incident at an {@link #activeTime} at least {@code apart} from the function's other incidents;
     * none if twenty draws find no such time.
     */
    private void plantActive(
            FleetFunction f,
            AlertType type,
            String shape,
            Random g,
            int fromDay,
            int minutes,
            int fromHour,
            int toHour,
            long apart) {
        for (int attempt = 0; attempt < 20; attempt++) {
            long start = activeTime(g, fromDay, minutes, fromHour, toHour);
            long end = start + minutes * MINUTE;
            if (start < 0) {
                return;
            }
            if (f.incidents.stream().noneMatch(i -> start < i.end() + apart && end > i.start() - apart)) {
                f.incidents.add(new PlantedIncident(type, f.name, start, end, shape));
                return;
            }
        }
    }

    /**
     * A minute-aligned start on a weekday at least {@code fromDay} days into the fleet, between {@code fromHour}
     * and {@code toHour} (UTC) with the whole incident inside; {@code -1} if the fleet has no such day.
     */
    private long activeTime(Random g, int fromDay, int minutes, int fromHour, int toHour) {
        int lastDay = days - 1; // leave the final day for the incident to resolve
        if (lastDay <= fromDay) {
            return -1;
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            long day = START + (fromDay + g.nextInt(lastDay - fromDay)) * DAY;
            if (!FleetFunction.weekend(day)) {
                int latest = toHour * 60 - minutes;
                return day + (fromHour * 60 + g.nextInt(Math.max(1, latest - fromHour * 60 + 1))) * MINUTE;
            }
        }
        return -1;
    }

    /** Plants at most one incident of each kind that suits the function, far enough apart to tell apart. */
    private void plant(FleetFunction f, boolean outdated) {
        if (outdated) {
            // every run on the runtime is the incident, a dormant function's history 40 days back included
            f.incidents.add(new PlantedIncident(
                    AlertType.OUTDATED_RUNTIME_INVOKED, f.name, START - 41 * DAY, START + days * DAY, "runtime"));
        }
        if (f.dormant) {
            if (r.nextBoolean()) {
                long wake = randomTime(3);
                f.incidents.add(new PlantedIncident(
                        AlertType.STALE_FUNCTION_INVOKED, f.name, wake, wake + 10 * MINUTE, "wake"));
            }
            return;
        }
        List<long[]> taken = new ArrayList<>();
        if (r.nextDouble() < 0.10) {
            String[] shapes = {"step", "burst", "ramp"};
            String shape = shapes[r.nextInt(shapes.length)];
            add(f, AlertType.TRAFFIC_SPIKE, shape, "burst".equals(shape) ? 6 : 20, taken);
        }
        if (f.perMinute >= 2 && r.nextDouble() < 0.35) {
            String[] shapes = {"median", "tail", "timeouts"};
            String shape = shapes[r.nextInt(shapes.length)];
            add(f, AlertType.DURATION_ANOMALY, shape, "timeouts".equals(shape) ? 30 : 60, taken);
        }
        if (r.nextDouble() < 0.08) {
            add(f, AlertType.PERMISSION_DENIED_BURST, "probe", 5, taken);
        }
        if (r.nextDouble() < 0.05) {
            add(f, AlertType.SECRET_IN_LOGS, "leak", 1, taken);
        }
    }

    private void add(FleetFunction f, AlertType type, String shape, int minutes, List<long[]> taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            long start = randomTime(2);
            long end = start + minutes * MINUTE;
            boolean clear = taken.stream().noneMatch(t -> start < t[1] + 6 * 3_600_000L && end > t[0] - 6 * 3_600_000L);
            if (clear && end < START + days * DAY - 2 * 3_600_000L) {
                taken.add(new long[] {start, end});
                f.incidents.add(new PlantedIncident(type, f.name, start, end, shape));
                return;
            }
        }
    }

    /** A minute-aligned time at least {@code fromDay} days into the fleet. */
    private long randomTime(int fromDay) {
        long span = (days - fromDay) * DAY - 3 * 3_600_000L;
        return START + fromDay * DAY + Math.floorDiv((long) (r.nextDouble() * span), MINUTE) * MINUTE;
    }
}
