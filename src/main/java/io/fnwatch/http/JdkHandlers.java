package io.fnwatch.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Runs the ops endpoints, written as {@code com.sun.net.httpserver} handlers, on a Jetty server: the JDK's
 * own server reads request headers blocking on its executor and has only JVM-wide timeouts
 * ({@code sun.net.httpserver.maxReqTime}, whole seconds), so two half-sent requests held its two threads.
 * Routing is the JDK's: the longest path prefix that matches. (Jetty's {@code jetty-http-spi} does this too,
 * but registers itself as the JVM's {@code HttpServerProvider}, changing every {@code HttpServer.create}.)
 */
final class JdkHandlers extends Handler.Abstract {

    private final Map<String, HttpHandler> routes;

    /** {@code routes} may still be filled until the server starts (ports are bound before handlers exist). */
    JdkHandlers(Map<String, HttpHandler> routes) {
        super(InvocationType.BLOCKING);
        this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        HttpHandler handler = route(path == null ? "" : path);
        if (handler == null) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(request.getHttpURI().getPathQuery());
        } catch (IllegalArgumentException e) {
            Response.writeError(request, response, callback, 400, "malformed request target");
            return true;
        }
        Exchange x = new Exchange(request, response, uri);
        try {
            handler.handle(x);
            x.close();
            callback.succeeded();
        } catch (Exception e) {
            // as the JDK's server: the exchange is abandoned (Jetty answers 500 if nothing was sent yet)
            callback.failed(e);
        }
        return true;
    }

    private HttpHandler route(String path) {
        String best = null;
        for (String prefix : routes.keySet()) {
            if (path.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : routes.get(best);
    }

    /** One request as an {@link HttpExchange}; the response body streams to Jetty, blocking. */
    private static final class Exchange extends HttpExchange {
        private final Request request;
        private final Response response;
        private final URI uri;
        private final Headers requestHeaders = new Headers();
        private final Headers responseHeaders = new Headers();
        private final Map<String, Object> attributes = new HashMap<>();
        private InputStream in;
        private OutputStream out;
        private int status = -1;

        Exchange(Request request, Response response, URI uri) {
            this.request = request;
            this.response = response;
            this.uri = uri;
            for (HttpField f : request.getHeaders()) {
                requestHeaders.add(f.getName(), f.getValue());
            }
        }

        @Override
        public Headers getRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return uri;
        }

        @Override
        public String getRequestMethod() {
            return request.getMethod();
        }

        @Override
        public HttpContext getHttpContext() {
            return null;
        }

        @Override
        public InputStream getRequestBody() {
            if (in == null) {
                in = Content.Source.asInputStream(request);
            }
            return in;
        }

        @Override
        public OutputStream getResponseBody() {
            if (out == null) {
                out = Content.Sink.asOutputStream(response);
            }
            return out;
        }

        /** As the JDK's: -1 means no body, 0 a body of unknown length, more its exact length. */
        @Override
        public void sendResponseHeaders(int code, long length) throws IOException {
            if (status != -1) {
                throw new IOException("headers already sent");
            }
            status = code;
            response.setStatus(code);
            for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
                for (String v : h.getValue()) {
                    response.getHeaders().add(h.getKey(), v);
                }
            }
            if (length > 0) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            } else if (length < 0) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            }
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return inet(request.getConnectionMetaData().getRemoteSocketAddress());
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return inet(request.getConnectionMetaData().getLocalSocketAddress());
        }

        private static InetSocketAddress inet(SocketAddress a) {
            return a instanceof InetSocketAddress i ? i : null;
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public String getProtocol() {
            return request.getConnectionMetaData().getProtocol();
        }

        @Override
        public Object getAttribute(String name) {
            Object mine = attributes.get(name);
            return mine != null ? mine : request.getAttribute(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            in = i != null ? i : in;
            out = o != null ? o : out;
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }

        /** Ends the response: what was not sent yet (a handler that wrote nothing answers 500) goes now. */
        @Override
        public void close() {
            try {
                if (status == -1) {
                    sendResponseHeaders(500, -1);
                }
                getResponseBody().close();
            } catch (IOException e) {
                // the client went away; Jetty closes the connection
            }
        }
    }
}
