package io.fnwatch.http.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fnwatch.auth.KeysStore;
import io.fnwatch.auth.TenantKey;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.http.OpsLimits;
import io.fnwatch.model.FunctionKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console under {@code /ui/}: server-rendered pages for a signed-in tenant key (see {@link Sessions}), read
 * only. Every response carries a strict Content-Security-Policy (no script at all, styles and images from this
 * origin only, no framing, forms posting only here) and is not cached. A function of another tenant, or of an
 * account the key may not read, is answered exactly as a function that does not exist: 404.
 * {@code /ui/internal/history/{key}} answers other instances' forwarded history requests, with a bearer key as
 * {@code /functions} does. Sign-in and sign-out take same-origin POSTs only; failed sign-ins are limited per
 * client address and a sign-in form is at most {@link #MAX_FORM_BYTES} ({@link OpsLimits}).
 */
public final class ConsoleHandler implements HttpHandler {

    public static final String PATH = "/ui/";
    static final String INTERNAL_HISTORY = "/ui/internal/history/";
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    /** The sign-in form holds a key (some 50 characters): a larger body is refused with 413 unread. */
    static final int MAX_FORM_BYTES = 1024;

    private final KeysStore keys;
    private final Sessions sessions;
    private final Pages pages;
    private final FunctionReader functions;
    private final OpsLimits limits;

    ConsoleHandler(KeysStore keys, Sessions sessions, Pages pages, FunctionReader functions, OpsLimits limits) {
        this.limits = limits;
        this.keys = keys;
        this.sessions = sessions;
        this.pages = pages;
        this.functions = functions;
    }

    @Override
    public void handle(HttpExchange x) throws IOException {
        headers(x);
        String path = x.getRequestURI().getRawPath();
        String method = x.getRequestMethod();
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (path.startsWith(INTERNAL_HISTORY) && read) {
            internalHistory(x, path.substring(INTERNAL_HISTORY.length()));
            return;
        }
        if ("/ui/style.css".equals(path) && read) {
            send(x, 200, "text/css; charset=utf-8", Pages.CSS);
            return;
        }
        if ("/ui/favicon.svg".equals(path) && read) {
            send(x, 200, "image/svg+xml", Pages.ICON);
            return;
        }
        if ("/ui/login".equals(path)) {
            if ("POST".equals(method)) {
                if (sameOrigin(x)) {
                    signIn(x);
                }
            } else if (read) {
                send(x, 200, Pages.HTML, pages.login(null));
            } else {
                notAllowed(x, "GET, HEAD, POST");
            }
            return;
        }
        String sessionId = cookie(x, Sessions.COOKIE);
        if ("/ui/logout".equals(path)) {
            if (!"POST".equals(method)) {
                notAllowed(x, "POST");
                return;
            }
            if (!sameOrigin(x)) {
                return;
            }
            sessions.signOut(sessionId);
            x.getResponseHeaders().add("Set-Cookie", cookieValue("", 0, secure(x)));
            redirect(x, "/ui/login");
            return;
        }
        if (!read) {
            notAllowed(x, "GET, HEAD");
            return;
        }
        Sessions.Session session = sessions.session(sessionId);
        TenantKey caller =
                session == null ? null : keys.authenticate(session.token()).key();
        if (caller == null) {
            redirect(x, "/ui/login");
            return;
        }
        Map<String, String> q = query(x);
        Pages.Page page = switch (path) {
            case "/ui/", "/ui" -> pages.overview(caller);
            case "/ui/functions" -> pages.functions(caller, q);
            case "/ui/function" -> pages.function(caller, session.token(), q);
            case "/ui/incidents" -> pages.incidents(caller, q);
            case "/ui/dead-letters" -> pages.deadLetters(caller);
            default -> Pages.notFound(caller);
        };
        send(x, page.status(), Pages.HTML, page.html());
    }

    /**
     * Sign-in, in this order: the client's failed sign-ins (429 while its bucket is empty, whatever the key), the
     * form's size (413), the key (401, counted as a failure; or a session).
     */
    private void signIn(HttpExchange x) throws IOException {
        String client = limits.client(x);
        long wait = limits.authenticationWait(client);
        if (wait > 0) {
            x.getResponseHeaders().set("Retry-After", String.valueOf(wait));
            refuseUnread(
                    x,
                    429,
                    Pages.HTML,
                    pages.login("Too many failed sign-ins from this address: try again in " + wait + " seconds."));
            return;
        }
        String body = body(x);
        if (body == null) {
            limits.refused(OpsLimits.Refusal.BODY_TOO_LARGE);
            refuseUnread(x, 413, Pages.HTML, pages.login("That form is too large for a key."));
            return;
        }
        Map<String, String> form = parse(body);
        Sessions.Session s = sessions.signIn(form.get("key"));
        if (s == null) {
            limits.authenticationFailed(client);
            send(x, 401, Pages.HTML, pages.login("That key is not accepted (unknown, revoked, or mistyped)."));
            return;
        }
        x.getResponseHeaders().add("Set-Cookie", cookieValue(s.id(), sessions.ttlMs() / 1000, secure(x)));
        redirect(x, "/ui/");
    }

    private void internalHistory(HttpExchange x, String rawKey) throws IOException {
        FunctionKey key;
        try {
            key = FunctionKey.parse(URLDecoder.decode(rawKey.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            send(x, 400, "text/plain; charset=utf-8", "bad function key\n");
            return;
        }
        String client = limits.client(x);
        long wait = limits.authenticationWait(client);
        if (wait > 0) {
            x.getResponseHeaders().set("Retry-After", String.valueOf(wait));
            send(x, 429, "text/plain; charset=utf-8", "too many failed authentications from this address\n");
            return;
        }
        String h = x.getRequestHeaders().getFirst("Authorization");
        String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? h.substring(7).trim()
                : null;
        TenantKey caller = keys.authenticate(token).key();
        if (caller == null) {
            limits.authenticationFailed(client);
        }
        if (caller == null || !caller.tenant().equals(key.tenant()) || !caller.mayRead(key)) {
            send(x, 404, "text/plain; charset=utf-8", "no such function\n");
            return;
        }
        Map<String, String> q = query(x);
        if (!(functions instanceof StreamsFunctions local)) {
            send(x, 404, "text/plain; charset=utf-8", "no such function\n");
            return;
        }
        try {
            long from = Long.parseLong(q.getOrDefault("from", "0"));
            long to = Long.parseLong(q.getOrDefault("to", "0"));
            List<MinuteSummary> minutes = local.localHistory(key, from, to);
            send(x, 200, "application/json", new String(HistoryJson.write(minutes), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            send(x, 400, "text/plain; charset=utf-8", "from and to are epoch milliseconds\n");
        } catch (FunctionReader.Unavailable e) {
            x.getResponseHeaders().set("Retry-After", "5");
            send(x, 503, "text/plain; charset=utf-8", e.getMessage() + "\n");
        }
    }

    /** Secure cookies when the request came over TLS (directly, or through a proxy that says so). */
    private static boolean secure(HttpExchange x) {
        return x instanceof com.sun.net.httpserver.HttpsExchange
                || "https".equalsIgnoreCase(x.getRequestHeaders().getFirst("X-Forwarded-Proto"));
    }

    static String cookieValue(String id, long maxAgeSeconds, boolean secure) {
        return Sessions.COOKIE + "=" + id + "; Path=/ui/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    private static void headers(HttpExchange x) {
        var h = x.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        // not no-referrer: under it browsers send "Origin: null" with the sign-in form, and the origin check fails
        h.set("Referrer-Policy", "same-origin");
        h.set("X-Frame-Options", "DENY");
        h.set("Cache-Control", "no-store");
    }

    private static void redirect(HttpExchange x, String to) throws IOException {
        x.getResponseHeaders().set("Location", to);
        send(x, 303, "text/plain; charset=utf-8", "see " + to + "\n");
    }

    private static void notAllowed(HttpExchange x, String allow) throws IOException {
        x.getResponseHeaders().set("Allow", allow);
        send(x, 405, "text/plain; charset=utf-8", "method not allowed\n");
    }

    /**
     * A refusal that leaves the request's body (a form) unread, in whole or in part: the connection cannot carry
     * another request, so it is closed, and said so, lest a keep-alive client send its next request on it and
     * read nothing back.
     */
    private static void refuseUnread(HttpExchange x, int status, String type, String body) throws IOException {
        x.getResponseHeaders().set("Connection", "close");
        send(x, status, type, body);
    }

    static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(x.getRequestMethod());
        x.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    private static String cookie(HttpExchange x, String name) {
        List<String> all = x.getRequestHeaders().get("Cookie");
        if (all == null) {
            return null;
        }
        for (String header : all) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                    return part.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    /** The form, or null when it is larger than {@link #MAX_FORM_BYTES} (by its Content-Length, or as read). */
    private static String body(HttpExchange x) throws IOException {
        String declared = x.getRequestHeaders().getFirst("Content-Length");
        try {
            if (declared != null && Long.parseLong(declared.trim()) > MAX_FORM_BYTES) {
                return null;
            }
        } catch (NumberFormatException e) {
            return null; // Jetty refuses these before they get here
        }
        try (InputStream in = x.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_FORM_BYTES + 1);
            return bytes.length > MAX_FORM_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Defence in depth next to the SameSite=Strict cookie: a POST is served only when its {@code Origin} (or, when
     * a browser sent none, its {@code Referer}) names this very host and port; a cross-origin POST, one from an
     * opaque origin ({@code null}) and one that names no origin at all (browsers always send one) are answered
     * 403. The expected host is the {@code Host} header's (a proxy must keep it), or {@code X-Forwarded-Host}'s when
     * {@code ops.http.forwarded.trust} is on.
     */
    private boolean sameOrigin(HttpExchange x) throws IOException {
        var headers = x.getRequestHeaders();
        String origin = headers.getFirst("Origin");
        String source = origin != null ? origin : headers.getFirst("Referer");
        String host = limits.trustForwarded() && headers.getFirst("X-Forwarded-Host") != null
                ? headers.getFirst("X-Forwarded-Host")
                : headers.getFirst("Host");
        if (source != null && host != null && sameAuthority(source, host.split(",")[0].trim())) {
            return true;
        }
        limits.refused(OpsLimits.Refusal.CROSS_ORIGIN);
        refuseUnread(x, 403, "text/plain; charset=utf-8", "cross-origin requests are refused\n");
        return false;
    }

    static boolean sameAuthority(String source, String host) {
        try {
            URI from = new URI(source);
            String scheme = from.getScheme() == null ? "" : from.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || from.getHost() == null) {
                return false;
            }
            int defaultPort = scheme.equals("https") ? 443 : 80;
            URI to = new URI("http://" + host + "/");
            if (to.getHost() == null || to.getRawUserInfo() != null || from.getRawUserInfo() != null) {
                return false;
            }
            int fromPort = from.getPort() < 0 ? defaultPort : from.getPort();
            int toPort = to.getPort() < 0 ? defaultPort : to.getPort();
            return from.getHost().equalsIgnoreCase(to.getHost()) && fromPort == toPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static Map<String, String> query(HttpExchange x) {
        return parse(x.getRequestURI().getRawQuery());
    }

    static Map<String, String> parse(String form) {
        Map<String, String> out = new HashMap<>();
        if (form == null || form.isEmpty()) {
            return out;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException malformed) {
                // a malformed %-escape: the parameter is ignored
            }
        }
        return out;
    }
}
