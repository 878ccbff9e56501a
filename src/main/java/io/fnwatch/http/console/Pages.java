package io.fnwatch.http.console;

import io.fnwatch.auth.TenantKey;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.DetectorSpec;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The console's pages, rendered from the feed, the function reader and the detector settings. */
final class Pages {

    static final String HTML = "text/html; charset=utf-8";
    static final int PAGE_SIZE = 50;
    private static final long HOUR = 3_600_000L;
    private static final long MINUTE = 60_000L;
    private static final List<String> SORTS =
            List.of("function", "provider", "account", "region", "lastInvoked", "runtime", "dormant");
    /** Incidents drawn as spans on the traffic, duration and errors charts; the others are listed only. */
    private static final Set<AlertType> TRAFFIC = Set.of(
            AlertType.TRAFFIC_SPIKE, AlertType.TRAFFIC_DROP, AlertType.COST_SPIKE, AlertType.CONCURRENCY_NEAR_LIMIT);

    private static final Set<AlertType> DURATIONS = Set.of(AlertType.DURATION_ANOMALY);
    private static final Set<AlertType> FAILURES = Set.of(AlertType.ERROR_BURST, AlertType.PERMISSION_DENIED_BURST);

    record Page(int status, String html) {}

    private final ConsoleFeed feed;
    private final FunctionReader functions;
    private final DetectorConfig detectors;
    private final long retentionMs;
    private final Clock clock;
    private final RecordsPerMinute records;

    Pages(
            ConsoleFeed feed,
            FunctionReader functions,
            DetectorConfig detectors,
            long retentionMs,
            Clock clock,
            RecordsPerMinute records) {
        this.feed = feed;
        this.records = records;
        this.functions = functions;
        this.detectors = detectors;
        this.retentionMs = retentionMs;
        this.clock = clock;
    }

    // ---------------------------------------------------------------------------------------------- layout

    private static Html start(String title, TenantKey caller, String current) {
        Html h = new Html();
        h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        + "<link rel=\"stylesheet\" href=\"/ui/style.css\">"
                        + "<link rel=\"icon\" href=\"/ui/favicon.svg\" type=\"image/svg+xml\"><title>")
                .t(title)
                .raw(" · fnwatch</title></head><body>");
        h.raw("<a class=\"skip\" href=\"#main\">Skip to content</a><header><nav aria-label=\"Console\">"
                + "<span class=\"brand\">fnwatch</span>");
        if (caller != null) {
            for (String[] l : new String[][] {
                {"/ui/", "Overview"},
                {"/ui/functions", "Functions"},
                {"/ui/incidents", "Incidents"},
                {"/ui/dead-letters", "Dead letters"}
            }) {
                h.raw("<a href=\"")
                        .t(l[0])
                        .raw("\"")
                        .raw(l[1].equals(current) ? " aria-current=\"page\"" : "")
                        .raw(">")
                        .t(l[1])
                        .raw("</a>");
            }
            h.raw("<span class=\"who\">tenant <strong>")
                    .t(caller.tenant())
                    .raw("</strong></span><form method=\"post\" action=\"/ui/logout\">"
                            + "<button type=\"submit\">Sign out</button></form>");
        }
        return h.raw("</nav></header><main id=\"main\">");
    }

    private static String end(Html h) {
        return h.raw("</main></body></html>").toString();
    }

    String login(String problem) {
        Html h = start("Sign in", null, null);
        h.raw("<h1>Sign in</h1><p>Sign in with a tenant key (the same keys as <code>/functions</code>).</p>");
        if (problem != null) {
            h.raw("<p class=\"problem\" role=\"alert\">").t(problem).raw("</p>");
        }
        h.raw("<form method=\"post\" action=\"/ui/login\" class=\"login\"><label for=\"key\">Tenant key</label>"
                + "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\">Sign in</button></form>");
        return end(h);
    }

    static Page notFound(TenantKey caller) {
        Html h = start("Not found", caller, null);
        h.raw("<h1>Not found</h1><p>No such page or function.</p>");
        return new Page(404, end(h));
    }

    // ---------------------------------------------------------------------------------------------- overview

    Page overview(TenantKey caller) {
        Html h = start("Overview", caller, "Overview");
        h.raw("<h1>Overview</h1>");
        List<ConsoleFeed.Incident> incidents = visible(caller, feed.incidents(caller.tenant()));
        Map<AlertType, Map<Severity, Integer>> open = new EnumMap<>(AlertType.class);
        int openCount = 0;
        for (ConsoleFeed.Incident i : incidents) {
            if (i.open()) {
                open.computeIfAbsent(i.type, t -> new EnumMap<>(Severity.class)).merge(i.severity(), 1, Integer::sum);
                openCount++;
            }
        }
        h.raw("<section><h2>Open incidents: ").t(openCount).raw("</h2>");
        if (open.isEmpty()) {
            h.raw("<p>None open.</p>");
        } else {
            h.raw("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Type</th>");
            for (Severity s : Severity.values()) {
                h.raw("<th scope=\"col\">").t(s).raw("</th>");
            }
            h.raw("</tr></thead><tbody>");
            open.forEach((type, bySeverity) -> {
                h.raw("<tr><th scope=\"row\"><a href=\"/ui/incidents?state=open&amp;type=")
                        .t(Html.param(type.name()))
                        .raw("\">")
                        .t(type)
                        .raw("</a></th>");
                for (Severity s : Severity.values()) {
                    int n = bySeverity.getOrDefault(s, 0);
                    h.raw("<td class=\"num")
                            .raw(n > 0 ? " sev-" + s.name().toLowerCase(Locale.ROOT) : "")
                            .raw("\">")
                            .t(n)
                            .raw("</td>");
                }
                h.raw("</tr>");
            });
            h.raw("</tbody></table></div>");
        }
        h.raw("</section>");

        List<ConsoleFeed.Row> rows = visibleRows(caller);
        long warming = rows.stream().filter(r -> !r.warmup().isEmpty()).count();
        h.raw("<section><h2>Functions</h2><p>")
                .link("/ui/functions", rows.size() + " functions")
                .raw(", ")
                .link("/ui/functions?q=&warmup=1", warming + " in warm-up")
                .raw(" (their baselines are still being learned).</p></section>");

        h.raw("<section><h2>Recent alerts</h2>");
        List<Alert> recent = feed.recentAlerts(caller.tenant(), 200).stream()
                .filter(a -> caller.mayRead(a.key()))
                .limit(20)
                .toList();
        if (recent.isEmpty()) {
            h.raw("<p>No alerts yet.</p>");
        } else {
            h.raw("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Detected (UTC)</th>"
                    + "<th scope=\"col\">Type</th><th scope=\"col\">State</th><th scope=\"col\">Severity</th>"
                    + "<th scope=\"col\">Function</th><th scope=\"col\">Summary</th></tr></thead><tbody>");
            for (Alert a : recent) {
                h.raw("<tr><td>")
                        .t(Html.minute(a.detectedAt()))
                        .raw("</td><td>")
                        .t(a.type())
                        .raw("</td><td>")
                        .t(a.state())
                        .raw("</td><td class=\"sev-")
                        .t(a.severity().name().toLowerCase(Locale.ROOT))
                        .raw("\">")
                        .t(a.severity())
                        .raw("</td><td>");
                functionLink(h, a.key());
                h.raw("</td><td>").t(a.summary()).raw("</td></tr>");
            }
            h.raw("</tbody></table></div>");
        }
        h.raw("</section>");

        recordsAndDeadLetters(h, caller);
        return new Page(200, end(h));
    }

    /**
     * The last hour's records in and dead letters per minute: records in from this instance's counters (this
     * instance's share of the tenant's raw topic), dead letters from the dead-letter topic (every instance's).
     */
    private void recordsAndDeadLetters(Html h, TenantKey caller) {
        long now = clock.millis();
        int n = RecordsPerMinute.MINUTES;
        long from = (Math.floorDiv(now, MINUTE) - n) * MINUTE;
        long[] in = records.last(caller.tenant(), now);
        long[] dead = new long[n];
        Map<Long, Integer> perMinute = feed.deadLettersPerMinute(caller.tenant());
        long inTotal = 0;
        long deadTotal = 0;
        for (int i = 0; i < n; i++) {
            dead[i] = perMinute.getOrDefault(from / MINUTE + i, 0);
            inTotal += Math.max(0, in[i]);
            deadTotal += dead[i];
        }
        String to = Html.minute(from + n * MINUTE).substring(11);
        String latest = Html.minute(from + (n - 1) * MINUTE).substring(11);
        h.raw("<section><h2>Records in and dead letters per minute</h2><p class=\"latest\">Latest minute (")
                .t(latest)
                .raw(" UTC): <strong>")
                .t(in[n - 1] < 0 ? "not counted" : String.valueOf(in[n - 1]))
                .raw("</strong> records in, <strong>")
                .t(dead[n - 1])
                .raw("</strong> dead letters. The last hour, to ")
                .t(to)
                .raw(" UTC: ")
                .t(inTotal)
                .raw(" records in, ")
                .t(deadTotal)
                .raw(" dead letters (")
                .link("/ui/dead-letters", "the latest by reason")
                .raw(").</p><p class=\"note\">Records in are those <em>this instance</em> read from the tenant's raw "
                        + "topic: when several instances run, each reads its share of the topic's partitions and "
                        + "shows only that share. Dead letters are every instance's, read from the dead-letter "
                        + "topic.</p><div class=\"charts\">");
        h.raw(Charts.perMinute(
                "Records in per minute (this instance)",
                "bar",
                from,
                in,
                String.format(
                        Locale.ROOT,
                        "Records this instance read from the tenant's raw topic per minute from %s to %s UTC: "
                                + "%d in all, %d in the latest minute.",
                        Html.minute(from),
                        to,
                        inTotal,
                        Math.max(0, in[n - 1]))));
        h.raw(Charts.perMinute(
                "Dead letters per minute (all instances)",
                "errors",
                from,
                dead,
                String.format(
                        Locale.ROOT,
                        "Dead letters of the tenant per minute from %s to %s UTC: %d in all, %d in the latest minute.",
                        Html.minute(from),
                        to,
                        deadTotal,
                        dead[n - 1])));
        h.raw("</div><details><summary>The figures per minute</summary><div class=\"scroll\"><table><thead><tr>"
                + "<th scope=\"col\">Minute (UTC)</th><th scope=\"col\">Records in</th>"
                + "<th scope=\"col\">Dead letters</th></tr></thead><tbody>");
        for (int i = n - 1; i >= 0; i--) {
            h.raw("<tr><td>")
                    .t(Html.minute(from + i * MINUTE))
                    .raw("</td><td class=\"num\">")
                    .t(in[i] < 0 ? "–" : String.valueOf(in[i]))
                    .raw("</td><td class=\"num\">")
                    .t(dead[i])
                    .raw("</td></tr>");
        }
        h.raw("</tbody></table></div></details></section>");
    }

    // ---------------------------------------------------------------------------------------------- functions

    Page functions(TenantKey caller, Map<String, String> q) {
        String search = q.getOrDefault("q", "").trim().toLowerCase(Locale.ROOT);
        String sort = SORTS.contains(q.getOrDefault("sort", "")) ? q.get("sort") : "function";
        boolean desc = "desc".equals(q.get("dir"));
        boolean warmupOnly = "1".equals(q.get("warmup"));
        int page = intParam(q.get("page"), 0);
        long now = clock.millis();
        Map<String, List<AlertType>> open = openByFunction(caller);
        List<ConsoleFeed.Row> rows = new ArrayList<>();
        for (ConsoleFeed.Row r : visibleRows(caller)) {
            if ((search.isEmpty() || r.keyString().toLowerCase(Locale.ROOT).contains(search))
                    && (!warmupOnly || !r.warmup().isEmpty())) {
                rows.add(r);
            }
        }
        Comparator<ConsoleFeed.Row> order = switch (sort) {
            case "provider" ->
                Comparator.comparing((ConsoleFeed.Row r) -> r.key().provider());
            case "account" ->
                Comparator.comparing((ConsoleFeed.Row r) -> r.key().account());
            case "region" -> Comparator.comparing((ConsoleFeed.Row r) -> r.key().region());
            case "lastInvoked", "dormant" -> Comparator.comparingLong(ConsoleFeed.Row::lastInvoked);
            case "runtime" -> Comparator.comparing((ConsoleFeed.Row r) -> r.runtime() == null ? "" : r.runtime());
            default -> Comparator.comparing((ConsoleFeed.Row r) -> r.key().function());
        };
        if ("dormant".equals(sort)) {
            order = order.reversed();
        }
        order = order.thenComparing(ConsoleFeed.Row::keyString);
        rows.sort(desc ? order.reversed() : order);
        int pages = Math.max(1, (rows.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        page = Math.min(page, pages - 1);

        Html h = start("Functions", caller, "Functions");
        h.raw("<h1>Functions</h1><form method=\"get\" action=\"/ui/functions\" class=\"filters\" role=\"search\">"
                        + "<label for=\"q\">Search</label><input id=\"q\" name=\"q\" type=\"search\" value=\"")
                .t(q.getOrDefault("q", ""))
                .raw("\"><input type=\"hidden\" name=\"sort\" value=\"")
                .t(sort)
                .raw("\"><button type=\"submit\">Search</button></form>");
        h.raw("<p>")
                .t(rows.size())
                .raw(" functions")
                .raw(warmupOnly ? " in warm-up" : "")
                .raw("; page ");
        h.t(page + 1).raw(" of ").t(pages).raw(".</p>");
        h.raw("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Tenant</th>");
        String[][] cols = {
            {"provider", "Provider"},
            {"account", "Account"},
            {"region", "Region"},
            {"function", "Function"},
            {"lastInvoked", "Last invoked (UTC)"},
            {"runtime", "Runtime"},
            {"dormant", "Days dormant"}
        };
        for (String[] c : cols) {
            boolean here = c[0].equals(sort);
            String href = "/ui/functions?q=" + Html.param(q.getOrDefault("q", "")) + "&sort=" + c[0] + "&dir="
                    + (here && !desc ? "desc" : "asc") + (warmupOnly ? "&warmup=1" : "");
            h.raw("<th scope=\"col\"")
                    .raw(here ? " aria-sort=\"" + (desc ? "descending" : "ascending") + "\"" : "")
                    .raw(">")
                    .link(href, c[1] + (here ? (desc ? " ▼" : " ▲") : ""))
                    .raw("</th>");
        }
        h.raw("<th scope=\"col\">Detectors</th></tr></thead><tbody>");
        for (ConsoleFeed.Row r : ConsoleFeed.page(rows, page, PAGE_SIZE)) {
            FunctionKey k = r.key();
            h.raw("<tr><td>").t(k.tenant()).raw("</td><td>").t(k.provider()).raw("</td><td>");
            h.t(FunctionKey.known(k.account()))
                    .raw("</td><td>")
                    .t(FunctionKey.known(k.region()))
                    .raw("</td><td>");
            functionLink(h, k);
            h.raw("</td><td>")
                    .t(r.lastInvoked() < 0 ? "" : Html.minute(r.lastInvoked()))
                    .raw("</td><td>");
            h.t(r.runtime() == null ? "" : r.runtime());
            if (r.outdatedRuntime()) {
                h.raw(" <span class=\"badge sev-high\">outdated</span>");
            }
            h.raw("</td><td class=\"num\">")
                    .t(r.lastInvoked() < 0 ? "" : String.valueOf(Math.max(0, (now - r.lastInvoked()) / 86_400_000L)))
                    .raw("</td><td>");
            for (AlertType t : open.getOrDefault(r.keyString(), List.of())) {
                h.raw("<span class=\"badge sev-high\">OPEN ").t(t).raw("</span> ");
            }
            for (String t : r.warmup()) {
                h.raw("<span class=\"badge warm\">WARMUP ").t(t).raw("</span> ");
            }
            if (r.warmup().isEmpty() && !open.containsKey(r.keyString())) {
                h.raw("<span class=\"badge ok\">OK</span>");
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table></div>");
        pager(
                h,
                "/ui/functions?q=" + Html.param(q.getOrDefault("q", "")) + "&sort=" + sort + "&dir="
                        + (desc ? "desc" : "asc") + (warmupOnly ? "&warmup=1" : ""),
                page,
                pages);
        return new Page(200, end(h));
    }

    private Map<String, List<AlertType>> openByFunction(TenantKey caller) {
        Map<String, List<AlertType>> out = new HashMap<>();
        for (ConsoleFeed.Incident i : feed.incidents(caller.tenant())) {
            if (i.open()) {
                out.computeIfAbsent(i.key.asString(), k -> new ArrayList<>()).add(i.type);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- function

    Page function(TenantKey caller, String token, Map<String, String> q) {
        FunctionKey key;
        try {
            key = FunctionKey.parse(q.getOrDefault("key", ""));
        } catch (IllegalArgumentException e) {
            return notFound(caller);
        }
        if (!caller.tenant().equals(key.tenant()) || !caller.mayRead(key)) {
            return notFound(caller); // the same answer as a function that does not exist
        }
        ConsoleFeed.Row row = feed.row(key.asString());
        Map<String, Object> status;
        try {
            status = functions.status(key, token);
        } catch (FunctionReader.Unavailable e) {
            return unavailable(caller, e.getMessage());
        }
        if (status == null && row == null) {
            return notFound(caller);
        }
        long hours = Math.min(Math.max(1, intParam(q.get("hours"), 24)), retentionMs / HOUR);
        long newest = millis(status == null ? null : status.get("lastSeen"));
        long end = millis(q.get("to")); // ?to=: a range ending earlier (an incident's), else at the newest event
        if (end < 0 || (newest >= 0 && end > newest)) {
            end = newest < 0 ? clock.millis() : newest;
        }
        long to = (Math.floorDiv(end, MinuteSummary.MINUTE_MS) + 1) * MinuteSummary.MINUTE_MS;
        long from = to - hours * HOUR;
        List<MinuteSummary> minutes;
        try {
            minutes = new ArrayList<>(functions.history(key, from, to, token));
        } catch (FunctionReader.Unavailable e) {
            return unavailable(caller, e.getMessage());
        }
        current(status, to - MinuteSummary.MINUTE_MS, minutes);
        List<ConsoleFeed.Incident> incidents = new ArrayList<>();
        for (ConsoleFeed.Incident i : feed.incidents(key.tenant())) {
            if (i.key.equals(key)) {
                incidents.add(i);
            }
        }

        Html h = start(key.function(), caller, null);
        h.raw("<h1>").t(key.function()).raw("</h1><p class=\"key\">");
        h.t(key.provider())
                .raw(" · account ")
                .t(FunctionKey.known(key.account()))
                .raw(" · region ");
        h.t(FunctionKey.known(key.region())).raw(" · tenant ").t(key.tenant()).raw("</p>");
        h.raw("<nav class=\"ranges\" aria-label=\"Time range\">");
        for (long r : new long[] {1, 6, 24, 48, 96, 168}) {
            if (r * HOUR > retentionMs) {
                continue;
            }
            String href = "/ui/function?key=" + Html.param(key.asString()) + "&hours=" + r
                    + (q.containsKey("to") ? "&to=" + Html.param(q.get("to")) : "");
            if (r == hours) {
                h.raw("<a aria-current=\"true\" href=\"")
                        .t(href)
                        .raw("\">")
                        .t(r + " h")
                        .raw("</a> ");
            } else {
                h.link(href, r + " h").raw(" ");
            }
        }
        h.raw("</nav>");
        if (status != null) {
            h.raw("<p>Last event ").t(status.get("lastSeen")).raw(" UTC. ");
            Object warming = status.get("warmingUp");
            if (warming instanceof List<?> w && !w.isEmpty()) {
                h.raw("Still learning: ")
                        .t(String.join(", ", w.stream().map(String::valueOf).toList()))
                        .raw(".");
            }
            h.raw("</p>");
        }
        Charts charts = new Charts(from, to);
        MinuteSummary[] laid = charts.byMinute(minutes);
        h.raw("<section class=\"charts\">");
        h.raw(charts.traffic(laid, spans(incidents, TRAFFIC::contains)));
        h.raw(charts.durations(laid, spans(incidents, DURATIONS::contains)));
        h.raw(charts.errors(laid, spans(incidents, FAILURES::contains)));
        h.raw("</section>");

        h.raw("<section><h2>Incidents</h2>");
        if (incidents.isEmpty()) {
            h.raw("<p>None.</p>");
        }
        for (ConsoleFeed.Incident i : incidents) {
            incident(h, i, key);
        }
        h.raw("</section>");

        h.raw("<section><h2>Settings in force</h2><p>After the overrides that match this function.</p>");
        settings(h, detectors.forFunction(key));
        h.raw("</section>");
        if (status != null && status.get("baselines") instanceof Map<?, ?> b) {
            h.raw("<section><h2>Baselines</h2>");
            map(h, b);
            h.raw("</section>");
        }
        h.raw("<section><h2>Inventory record</h2>");
        if (row == null) {
            h.raw("<p>None published yet.</p>");
        } else {
            map(h, row.inventory());
        }
        h.raw("</section>");
        return new Page(200, end(h));
    }

    /** The function's current minute so far, from its state, when the history does not have it yet. */
    @SuppressWarnings("unchecked")
    private static void current(Map<String, Object> status, long minute, List<MinuteSummary> minutes) {
        if (status == null
                || !(status.get("baselines") instanceof Map<?, ?> b)
                || !(b.get("traffic") instanceof Map<?, ?> traffic)) {
            return;
        }
        if (!minutes.isEmpty() && minutes.get(minutes.size() - 1).minuteStart() >= minute) {
            return;
        }
        Map<String, Object> t = (Map<String, Object>) traffic;
        minutes.add(new MinuteSummary(
                minute,
                number(t.get("currentBucketCount")).intValue(),
                0,
                0,
                number(t.get("expectedPerBucket")).floatValue(),
                number(t.get("threshold")).floatValue(),
                Float.NaN,
                Float.NaN,
                Float.NaN,
                Float.NaN,
                false,
                false));
    }

    private static Number number(Object o) {
        return o instanceof Number n ? n : Float.NaN;
    }

    private static List<Charts.Span> spans(
            List<ConsoleFeed.Incident> incidents, java.util.function.Predicate<AlertType> which) {
        List<Charts.Span> out = new ArrayList<>();
        for (ConsoleFeed.Incident i : incidents) {
            if (which.test(i.type)) {
                out.add(new Charts.Span(
                        i.start().toEpochMilli(),
                        i.opened().toEpochMilli(),
                        i.resolved() == null ? -1 : i.resolved().toEpochMilli(),
                        i.type + " " + i.severity()));
            }
        }
        return out;
    }

    private static void incident(Html h, ConsoleFeed.Incident i, FunctionKey key) {
        Alert first = i.first();
        long shownTo = (i.resolved() == null ? i.last().detectedAt() : i.resolved()).toEpochMilli() + 2 * HOUR;
        h.raw("<article class=\"incident\"><h3>")
                .t(i.type)
                .raw(" <span class=\"badge sev-")
                .t(i.severity().name().toLowerCase(Locale.ROOT))
                .raw("\">")
                .t(i.severity())
                .raw("</span> ")
                .raw(
                        i.open()
                                ? "<span class=\"badge sev-high\">OPEN</span>"
                                : "<span class=\"badge ok\">RESOLVED</span>")
                .raw("</h3><p>")
                .t(first.summary())
                .raw("</p><p>Began ")
                .t(Html.minute(i.start()))
                .raw(", opened ")
                .t(Html.minute(i.opened()))
                .raw(i.resolved() == null ? "" : ", resolved ")
                .t(i.resolved() == null ? "" : Html.minute(i.resolved()))
                .raw(" UTC · observed ")
                .t(first.observed())
                .raw(", expected ")
                .t(first.expected())
                .raw(", threshold ")
                .t(first.threshold())
                .raw(" · id <code>")
                .t(i.id)
                .raw("</code> · ")
                .link(
                        "/ui/function?key=" + Html.param(key.asString()) + "&hours=6&to="
                                + Html.param(Instant.ofEpochMilli(shownTo).toString()),
                        "show on the charts")
                .raw("</p>");
        if (first.evidence() != null && !first.evidence().isEmpty()) {
            h.raw("<details><summary>Evidence</summary>");
            map(h, first.evidence());
            h.raw("</details>");
        }
        h.raw("</article>");
    }

    private static void settings(Html h, DetectorSettings s) {
        h.raw("<div class=\"settings\">");
        for (DetectorSpec<?, ?> spec : s.registry()) {
            Object settings = s.of(spec);
            h.raw("<details><summary>")
                    .t(spec.file())
                    .raw(settings == null ? " (disabled)" : "")
                    .raw("</summary>");
            if (settings != null && settings.getClass().isRecord()) {
                h.raw("<dl>");
                for (RecordComponent c : settings.getClass().getRecordComponents()) {
                    Object v;
                    try {
                        v = c.getAccessor().invoke(settings);
                    } catch (ReflectiveOperationException e) {
                        v = "?";
                    }
                    h.raw("<dt>").t(c.getName()).raw("</dt><dd>").t(v).raw("</dd>");
                }
                h.raw("</dl>");
            } else if (settings != null) {
                h.raw("<p>").t(settings).raw("</p>");
            }
            h.raw("</details>");
        }
        h.raw("</div>");
    }

    private static void map(Html h, Map<?, ?> m) {
        h.raw("<dl>");
        m.forEach((k, v) -> {
            h.raw("<dt>").t(k).raw("</dt><dd>");
            if (v instanceof Map<?, ?> inner) {
                map(h, inner);
            } else {
                h.t(v);
            }
            h.raw("</dd>");
        });
        h.raw("</dl>");
    }

    private static Page unavailable(TenantKey caller, String why) {
        Html h = start("Unavailable", caller, null);
        h.raw("<h1>Not available right now</h1><p>").t(why).raw("</p>");
        return new Page(503, end(h));
    }

    // ---------------------------------------------------------------------------------------------- incidents

    Page incidents(TenantKey caller, Map<String, String> q) {
        String type = q.getOrDefault("type", "");
        String state = q.getOrDefault("state", "all");
        String search = q.getOrDefault("q", "").trim().toLowerCase(Locale.ROOT);
        List<ConsoleFeed.Incident> all = new ArrayList<>();
        for (ConsoleFeed.Incident i : visible(caller, feed.incidents(caller.tenant()))) {
            if ((type.isEmpty() || i.type.name().equals(type))
                    && ("all".equals(state) || ("open".equals(state) == i.open()))
                    && (search.isEmpty()
                            || i.key.asString().toLowerCase(Locale.ROOT).contains(search))) {
                all.add(i);
            }
        }
        all.sort(Comparator.comparing(ConsoleFeed.Incident::start).reversed());
        int pages = Math.max(1, (all.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(intParam(q.get("page"), 0), pages - 1);
        List<ConsoleFeed.Incident> shown = ConsoleFeed.page(all, page, PAGE_SIZE);

        Html h = start("Incidents", caller, "Incidents");
        h.raw("<h1>Incidents</h1><form method=\"get\" action=\"/ui/incidents\" class=\"filters\">"
                + "<label for=\"type\">Type</label><select id=\"type\" name=\"type\"><option value=\"\">any</option>");
        for (AlertType t : AlertType.values()) {
            h.raw("<option")
                    .raw(t.name().equals(type) ? " selected" : "")
                    .raw(">")
                    .t(t)
                    .raw("</option>");
        }
        h.raw("</select><label for=\"state\">State</label><select id=\"state\" name=\"state\">");
        for (String s : List.of("all", "open", "resolved")) {
            h.raw("<option")
                    .raw(s.equals(state) ? " selected" : "")
                    .raw(">")
                    .t(s)
                    .raw("</option>");
        }
        h.raw("</select><label for=\"q\">Function</label><input id=\"q\" name=\"q\" type=\"search\" value=\"")
                .t(q.getOrDefault("q", ""))
                .raw("\"><button type=\"submit\">Filter</button></form>");
        h.raw("<p>")
                .t(all.size())
                .raw(" incidents; page ")
                .t(page + 1)
                .raw(" of ")
                .t(pages)
                .raw(".</p>");
        if (!shown.isEmpty()) {
            h.raw(timeline(shown));
            h.raw("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Began (UTC)</th>"
                    + "<th scope=\"col\">Resolved</th><th scope=\"col\">Type</th><th scope=\"col\">Severity</th>"
                    + "<th scope=\"col\">Function</th><th scope=\"col\">Summary</th></tr></thead><tbody>");
            for (ConsoleFeed.Incident i : shown) {
                h.raw("<tr><td>").t(Html.minute(i.start())).raw("</td><td>");
                h.t(i.resolved() == null ? "open" : Html.minute(i.resolved()))
                        .raw("</td><td>")
                        .t(i.type);
                h.raw("</td><td class=\"sev-")
                        .t(i.severity().name().toLowerCase(Locale.ROOT))
                        .raw("\">")
                        .t(i.severity())
                        .raw("</td><td>");
                functionLink(h, i.key);
                h.raw("</td><td>").t(i.first().summary()).raw("</td></tr>");
            }
            h.raw("</tbody></table></div>");
        }
        pager(
                h,
                "/ui/incidents?type=" + Html.param(type) + "&state=" + Html.param(state) + "&q="
                        + Html.param(q.getOrDefault("q", "")),
                page,
                pages);
        return new Page(200, end(h));
    }

    /** The shown incidents as bars on one time axis, one row each. */
    private static String timeline(List<ConsoleFeed.Incident> shown) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (ConsoleFeed.Incident i : shown) {
            lo = Math.min(lo, i.start().toEpochMilli());
            hi = Math.max(hi, i.last().detectedAt().toEpochMilli());
        }
        hi = Math.max(hi, lo + 60_000);
        int rowH = 14;
        int height = 30 + rowH * shown.size();
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart timeline\" viewBox=\"0 0 800 ")
                .append(height)
                .append("\" role=\"img\" aria-label=\"")
                .append(Html.text("Timeline of " + shown.size() + " incidents from " + Html.minute(lo) + " to "
                        + Html.minute(hi) + " UTC; the table below lists them"))
                .append("\">");
        s.append(String.format(
                Locale.ROOT,
                "<text class=\"axis\" x=\"4\" y=\"12\">%s</text><text class=\"axis\" x=\"796\" y=\"12\" "
                        + "text-anchor=\"end\">%s</text>",
                Html.text(Html.minute(lo)),
                Html.text(Html.minute(hi))));
        for (int k = 0; k < shown.size(); k++) {
            ConsoleFeed.Incident i = shown.get(k);
            double a = 4 + (i.start().toEpochMilli() - lo) * 792.0 / (hi - lo);
            long endT = i.resolved() == null ? hi : i.resolved().toEpochMilli();
            double b = 4 + (endT - lo) * 792.0 / (hi - lo);
            s.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"bar sev-%s%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>",
                    i.severity().name().toLowerCase(Locale.ROOT),
                    i.open() ? " open" : "",
                    a,
                    20 + k * rowH,
                    Math.max(3, b - a),
                    rowH - 4,
                    Html.text(i.type + " " + i.key.function() + " " + Html.minute(i.start()))));
        }
        return s.append("</svg>").toString();
    }

    // ---------------------------------------------------------------------------------------------- dead letters

    Page deadLetters(TenantKey caller) {
        Map<String, List<ConsoleFeed.Dead>> byReason = feed.deadLetters(caller.tenant());
        Html h = start("Dead letters", caller, "Dead letters");
        h.raw("<h1>Dead letters</h1><p>The latest ")
                .t(ConsoleFeed.DEAD_LETTERS_PER_REASON)
                .raw(" of each reason. Payloads are shown as stored: secrets masked, cut to 300 characters.</p>");
        if (byReason.isEmpty()) {
            h.raw("<p>None.</p>");
        }
        byReason.forEach((reason, letters) -> {
            h.raw("<section><h2>")
                    .t(reason)
                    .raw(" <span class=\"count\">(")
                    .t(letters.size())
                    .raw(")</span></h2>");
            h.raw("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Received (UTC)</th>"
                    + "<th scope=\"col\">Source</th><th scope=\"col\">Where</th><th scope=\"col\">Detail</th>"
                    + "<th scope=\"col\">Payload</th></tr></thead><tbody>");
            for (ConsoleFeed.Dead d : letters) {
                DeadLetter l = d.letter();
                h.raw("<tr><td>")
                        .t(Html.minute(l.receivedAt()))
                        .raw("</td><td>")
                        .t(l.source())
                        .raw("</td><td>");
                h.t(l.topic() == null ? "" : l.topic() + "/" + l.partition() + "@" + l.offset())
                        .raw("</td><td>");
                h.t(l.detail())
                        .raw("</td><td><code class=\"payload\">")
                        .t(preview(l))
                        .raw("</code></td></tr>");
            }
            h.raw("</tbody></table></div></section>");
        });
        return new Page(200, end(h));
    }

    private static String preview(DeadLetter l) {
        if (l.payloadBase64() == null) {
            return "";
        }
        try {
            String s = new String(Base64.getDecoder().decode(l.payloadBase64()), StandardCharsets.UTF_8);
            return s.length() > 300 ? s.substring(0, 300) + "…" : s;
        } catch (IllegalArgumentException e) {
            return "(not base64)";
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private List<ConsoleFeed.Row> visibleRows(TenantKey caller) {
        List<ConsoleFeed.Row> all = feed.rows(caller.tenant());
        all.removeIf(r -> !caller.mayRead(r.key()));
        return all;
    }

    private static List<ConsoleFeed.Incident> visible(TenantKey caller, List<ConsoleFeed.Incident> incidents) {
        List<ConsoleFeed.Incident> out = new ArrayList<>(incidents.size());
        for (ConsoleFeed.Incident i : incidents) {
            if (caller.mayRead(i.key)) {
                out.add(i);
            }
        }
        return out;
    }

    private static void functionLink(Html h, FunctionKey k) {
        if ("*".equals(k.function())) {
            h.t(k.function() + " (account)");
            return;
        }
        h.link("/ui/function?key=" + Html.param(k.asString()), k.function());
    }

    private static void pager(Html h, String base, int page, int pages) {
        if (pages <= 1) {
            return;
        }
        h.raw("<nav class=\"pager\" aria-label=\"Pages\">");
        if (page > 0) {
            h.link(base + "&page=" + (page - 1), "← previous").raw(" ");
        }
        if (page + 1 < pages) {
            h.link(base + "&page=" + (page + 1), "next →");
        }
        h.raw("</nav>");
    }

    private static int intParam(String s, int otherwise) {
        try {
            return s == null ? otherwise : Math.max(0, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static long millis(Object time) {
        if (time instanceof String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    /** Served from this origin, so that browsers do not ask for /favicon.ico (a 404 they log as an error). */
    static final String ICON = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
            + "<path d=\"M1 12 L5 7 L8 10 L15 2\" fill=\"none\" stroke=\"#0550ae\" stroke-width=\"2\"/></svg>";

    static final String CSS = """
            :root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--accent:#0550ae;--bad:#b3261e;--ok:#1a7f37;
            --warn:#7d4e00;--band:#dbe9fb;--span:#fde7e4}
            *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
            color:var(--fg);background:var(--bg)}
            header{border-bottom:1px solid var(--line);background:#f6f8fa}
            nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:center;padding:.5rem 1rem}
            nav a{color:var(--accent)}nav a[aria-current]{font-weight:700;color:var(--fg)}
            .brand{font-weight:700}.who{margin-left:auto;color:var(--muted)}
            nav form{margin:0}button{font:inherit;padding:.25rem .7rem;border:1px solid var(--line);border-radius:4px;
            background:#fff;color:var(--fg);cursor:pointer}
            button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{
            outline:3px solid var(--accent);outline-offset:2px}
            main{max-width:1200px;margin:0 auto;padding:1rem}
            h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.15rem;margin:1.4rem 0 .5rem}h3{font-size:1rem}
            a{color:var(--accent)}.key{color:var(--muted);margin-top:0}
            .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem}
            .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
            th a{color:var(--fg)}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .badge{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.8rem;border:1px solid currentColor}
            .sev-high,.sev-critical{color:var(--bad)}.sev-medium{color:var(--warn)}.sev-low{color:var(--muted)}
            .ok{color:var(--ok)}.warm{color:var(--warn)}.problem{color:var(--bad)}
            .filters,.login{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
            input,select{font:inherit;padding:.25rem .4rem;border:1px solid #8c959f;border-radius:4px}
            .ranges a{margin-right:.5rem}.ranges a[aria-current]{font-weight:700;color:var(--fg)}
            .charts{display:grid;gap:1rem}
            svg.chart{width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
            svg .title{font-weight:700;font-size:13px;fill:var(--fg)}svg .axis{font-size:11px;fill:var(--muted)}
            svg .grid{stroke:#eaeef2}svg .band{fill:var(--band);stroke:none}
            svg .expected{fill:none;stroke:#0969da;stroke-width:1.5;stroke-dasharray:5 3}
            svg .observed{fill:none;stroke:#1b1f24;stroke-width:1.4}svg .p95{fill:none;stroke:#8250df;stroke-width:1.4}
            svg .over{fill:var(--bad)}svg .span{fill:var(--span)}svg .open{stroke:var(--bad);stroke-width:2}
            svg .resolved{stroke:var(--ok);stroke-width:2}svg .marker{font-size:10px;font-weight:700;stroke:none}
            svg text.open,svg tspan.open{fill:var(--bad);stroke:none}svg text.resolved,svg tspan.resolved{fill:var(--ok);stroke:none}
            svg .errors{fill:var(--bad)}svg .denials{fill:#8250df}
            svg rect.key{stroke:none}svg rect.key.observed{fill:#1b1f24}svg rect.key.expected{fill:#0969da}svg rect.key.p95{fill:#8250df}
            svg .bar{fill:#8c959f}svg .bar.sev-high,svg .bar.sev-critical{fill:var(--bad)}svg .bar.sev-medium{fill:#bf8700}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.3rem 0}dt{color:var(--muted)}
            dd{margin:0;overflow-wrap:anywhere}.incident{border:1px solid var(--line);border-radius:6px;padding:.2rem .8rem;
            margin:.5rem 0}code.payload{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8rem}
            .pager{padding:.5rem 0}.note{color:var(--muted);font-size:.9rem}
            @media (max-width:600px){main{padding:.5rem}th,td{padding:.2rem .3rem}}
            """;
}
