package io.fnwatch.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser: {@code demo --serve} (an embedded broker, the service, sample-logs replayed) in
 * a child JVM, then headless Chromium (Debian's {@code chromium}; skipped when it is not installed) driven over
 * the DevTools protocol loads every page with a session cookie, fails on any console message of level error
 * (CSP violations, failed loads, script errors) and saves a screenshot of each under
 * {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {

    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final Pattern URL = Pattern.compile("Console: (http://\\S+/ui/)");
    private static final Pattern KEY = Pattern.compile("Sign in with the key: (\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Process demo;
    private static Process browser;
    private static Path profile;
    private static String base;
    private static String cookie;
    private static String signInKey;
    private static Cdp cdp;

    private static String chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    @BeforeAll
    static void start() throws Exception {
        String chromium = chromium();
        if (chromium == null) {
            return; // each test reports itself skipped (a class-level assumption is counted as no test at all)
        }
        demo = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx768m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.fnwatch.cli.Main",
                        "demo",
                        "--serve")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String key = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        for (String line = out.readLine(); line != null && System.nanoTime() < deadline; line = out.readLine()) {
            Matcher u = URL.matcher(line);
            Matcher k = KEY.matcher(line);
            if (u.find()) {
                base = u.group(1).replaceFirst("/ui/$", "");
            } else if (k.find()) {
                key = k.group(1);
                break;
            }
        }
        assertThat(base).as("the demo's console URL").isNotNull();
        assertThat(key).as("the demo's sign-in key").isNotNull();
        signInKey = key;
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "demo-stdout");
        drain.setDaemon(true);
        drain.start();
        HttpResponse<String> signIn = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Origin", base)
                        .POST(HttpRequest.BodyPublishers.ofString("key=" + key))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String set = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = set.substring(Sessions.COOKIE.length() + 1, set.indexOf(';'));

        profile = Files.createTempDirectory("fnwatch-chromium-");
        browser = new ProcessBuilder(
                        chromium,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + profile,
                        "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader err =
                new BufferedReader(new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8));
        String ws = null;
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            int at = line.indexOf("ws://");
            if (line.contains("DevTools listening on") && at >= 0) {
                ws = line.substring(at).trim();
                break;
            }
        }
        assertThat(ws).as("chromium's DevTools address").isNotNull();
        Thread drainErr = new Thread(() -> err.lines().forEach(l -> {}), "chromium-stderr");
        drainErr.setDaemon(true);
        drainErr.start();
        URI devtools = URI.create(ws);
        JsonNode targets = Json.MAPPER.readTree(HTTP.send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://" + devtools.getHost() + ":" + devtools.getPort() + "/json/list"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        String page = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.path("type").asText())) {
                page = t.path("webSocketDebuggerUrl").asText();
            }
        }
        cdp = new Cdp(page);
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
            cdp.call(domain + ".enable", Map.of());
        }
        cdp.call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
        cdp.call(
                "Network.setCookie",
                Map.of(
                        "name",
                        Sessions.COOKIE,
                        "value",
                        cookie,
                        "url",
                        base + "/ui/",
                        "httpOnly",
                        true,
                        "sameSite",
                        "Strict"));
    }

    @BeforeEach
    void needsChromium() {
        Assumptions.assumeTrue(chromium() != null, "chromium is not installed (apt-get install chromium)");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cdp != null) {
            cdp.close();
        }
        for (Process p : new Process[] {browser, demo}) {
            if (p != null) {
                p.destroy(); // SIGTERM: the demo's shutdown hook closes the service and deletes its state
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void shouldLoadEveryPageWithoutAConsoleErrorAndShowTheSampleIncidents() throws Exception {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", "/ui/");
        pages.put("functions", "/ui/functions");
        pages.put("incidents", "/ui/incidents");
        pages.put("dead-letters", "/ui/dead-letters");
        pages.put("orders-api", incidentView("orders-api", "TRAFFIC_SPIKE"));
        pages.put("payments-worker", incidentView("payments-worker", "DURATION_ANOMALY"));
        Files.createDirectories(SHOTS);
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, String> p : pages.entrySet()) {
            errors.addAll(load(p.getKey(), p.getValue()));
            JsonNode title = cdp.call("Runtime.evaluate", Map.of("expression", "document.title"));
            assertThat(title.path("result").path("value").asText())
                    .as(p.getKey())
                    .doesNotContain("Sign in");
            JsonNode height =
                    cdp.call("Runtime.evaluate", Map.of("expression", "document.documentElement.scrollHeight"));
            int h = Math.min(
                    6000, Math.max(900, height.path("result").path("value").asInt(900)));
            JsonNode shot = cdp.call(
                    "Page.captureScreenshot",
                    Map.of(
                            "format",
                            "png",
                            "captureBeyondViewport",
                            true,
                            "clip",
                            Map.of("x", 0, "y", 0, "width", 1280, "height", h, "scale", 1)));
            Files.write(
                    SHOTS.resolve(p.getKey() + ".png"),
                    Base64.getDecoder().decode(shot.path("data").asText()));
            JsonNode top = cdp.call(
                    "Page.captureScreenshot",
                    Map.of(
                            "format",
                            "png",
                            "captureBeyondViewport",
                            true,
                            "clip",
                            Map.of("x", 0, "y", 0, "width", 1280, "height", Math.min(h, 1080), "scale", 1)));
            Files.write(
                    SHOTS.resolve(p.getKey() + "-top.png"),
                    Base64.getDecoder().decode(top.path("data").asText()));
        }
        assertThat(errors).isEmpty();
        assertThat(Files.size(SHOTS.resolve("orders-api.png"))).isGreaterThan(10_000);
    }

    @Test
    void shouldSignInThroughTheFormWithTheOriginTheBrowserSends() throws Exception {
        // the sign-in takes same-origin POSTs only: the browser's own form must pass (under Referrer-Policy
        // no-referrer browsers send "Origin: null" with it, and it would not)
        assertThat(load("login", "/ui/login")).isEmpty();
        cdp.events.clear();
        cdp.call(
                "Runtime.evaluate",
                Map.of(
                        "expression",
                        "document.getElementById('key').value = " + Json.MAPPER.writeValueAsString(signInKey)
                                + "; document.querySelector('form.login').submit();"));
        cdp.await("Page.loadEventFired", Duration.ofSeconds(30));
        JsonNode title = cdp.call("Runtime.evaluate", Map.of("expression", "document.title"));
        assertThat(title.path("result").path("value").asText()).startsWith("Overview");
    }

    @Test
    void shouldSeeTheConsoleErrorsItLooksFor() throws Exception {
        // a page that is not there: the browser logs the failed load as an error
        assertThat(load("missing", "/ui/no-such-page")).isNotEmpty();
    }

    /** Loads {@code path} and returns the console errors it caused. */
    private static List<String> load(String name, String path) throws Exception {
        List<String> errors = new ArrayList<>();
        cdp.events.clear();
        cdp.call("Page.navigate", Map.of("url", base + path));
        cdp.await("Page.loadEventFired", Duration.ofSeconds(30));
        Thread.sleep(300); // console messages of the load arrive just after the load event
        synchronized (cdp.events) {
            for (JsonNode e : cdp.events) {
                String method = e.path("method").asText();
                JsonNode params = e.path("params");
                if ("Log.entryAdded".equals(method)
                        && "error".equals(params.path("entry").path("level").asText())) {
                    errors.add(name + ": " + params.path("entry").path("text").asText());
                } else if ("Runtime.consoleAPICalled".equals(method)
                        && "error".equals(params.path("type").asText())) {
                    errors.add(name + ": console.error");
                } else if ("Runtime.exceptionThrown".equals(method)) {
                    errors.add(name + ": "
                            + params.path("exceptionDetails").path("text").asText());
                }
            }
        }
        return errors;
    }

    /** The Function page's range around the function's first incident of {@code type}, as its link gives it. */
    private static String incidentView(String function, String type) throws Exception {
        String path = "/ui/function?key="
                + URLEncoder.encode("default/aws/123456789012/us-east-1/" + function, StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path + "&hours=48"))
                        .header("Cookie", Sessions.COOKIE + "=" + cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        var incident = Jsoup.parse(r.body()).select("article.incident").stream()
                .filter(a -> a.select("h3").text().startsWith(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError(function + " has no " + type + " incident"));
        return incident.select("a:contains(show on the charts)").attr("href");
    }

    /** A minimal Chrome DevTools Protocol client: commands by id, events in a list. */
    private static final class Cdp implements WebSocket.Listener {
        final List<JsonNode> events = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        Cdp(String url) {
            socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(url), this)
                    .join();
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            socket.sendText(Json.string(Map.of("id", id, "method", method, "params", params)), true)
                    .join();
            JsonNode r = f.get(60, TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IllegalStateException(method + ": " + r.get("error"));
            }
            return r.path("result");
        }

        void await(String method, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                String m = arrivals.poll(100, TimeUnit.MILLISECONDS);
                if (method.equals(m)) {
                    return;
                }
            }
            throw new AssertionError("no " + method + " within " + timeout);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode n = Json.MAPPER.readTree(partial.toString());
                    if (n.has("id")) {
                        CompletableFuture<JsonNode> f =
                                pending.remove(n.get("id").asInt());
                        if (f != null) {
                            f.complete(n);
                        }
                    } else {
                        events.add(n);
                        arrivals.add(n.path("method").asText());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
