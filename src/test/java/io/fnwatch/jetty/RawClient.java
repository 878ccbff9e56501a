package io.fnwatch.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client on a plain socket that sends exactly what a test says, half a request included, as attackers do. */
public final class RawClient implements AutoCloseable {

    /** What arrived until the server closed the connection or the wait ended. */
    public record Received(String text, boolean closed, long millis) {
        public String statusLine() {
            int end = text.indexOf("\r\n");
            return end < 0 ? text : text.substring(0, end);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawClient connect(String host, int port) throws IOException {
        return new RawClient(new Socket(InetAddress.getByName(host), port));
    }

    public static RawClient connect(int port) throws IOException {
        return new RawClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    public RawClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Headers of a request whose body has {@code contentLength} bytes; the body is left to the test. */
    public RawClient headers(String method, String path, long contentLength, String... headers) throws IOException {
        StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        b.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
        return send(b.toString());
    }

    /** Reads until the server closes the connection, or {@code within} passes. */
    public Received readUntilClosed(Duration within) throws IOException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        byte[] buf = new byte[4096];
        boolean closed = false;
        while (!closed) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) left);
            try {
                int n = in.read(buf);
                if (n < 0) {
                    closed = true;
                } else {
                    received.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                break;
            } catch (SocketException e) {
                closed = true; // reset by the server: closed all the same
            }
        }
        return new Received(
                received.toString(StandardCharsets.ISO_8859_1),
                closed,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /** Reads until a whole status line has arrived, or {@code within} passes; what arrived so far. */
    public Received readStatus(Duration within) throws IOException {
        return readUntil("\r\n", within);
    }

    /** Reads until {@code marker} has arrived (in all that arrived so far), the server closes, or time is up. */
    public Received readUntil(String marker, Duration within) throws IOException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        boolean closed = false;
        while (!received.toString(StandardCharsets.ISO_8859_1).contains(marker) && !closed) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) left);
            try {
                int b = in.read();
                if (b < 0) {
                    closed = true;
                } else {
                    received.write(b);
                }
            } catch (SocketTimeoutException e) {
                break;
            } catch (SocketException e) {
                closed = true;
            }
        }
        return new Received(
                received.toString(StandardCharsets.ISO_8859_1),
                closed,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
