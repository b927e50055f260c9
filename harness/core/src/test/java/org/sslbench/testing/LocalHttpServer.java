package org.sslbench.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves byte arrays over HTTP on 127.0.0.1 (ephemeral port) for download tests, honouring
 * {@code Range: bytes=N-} with 206 / 416 like a static file server, and recording every request.
 * Faults can be injected per path: ignore ranges, close the connection after some bytes, or stall.
 */
public final class LocalHttpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** One request as seen by the server. */
    public record Request(String path, String range, long bytesSent) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
    private final Map<String, Integer> stallAfter = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean honourRanges = true;

    public LocalHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** Base URL ending in {@code /}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public LocalHttpServer serve(String name, byte[] content) {
        files.put("/" + name, content);
        return this;
    }

    /** Announce the full length but close the connection after {@code bytes} body bytes (once). */
    public LocalHttpServer cutAfter(String name, int bytes) {
        cutAfter.put("/" + name, bytes);
        return this;
    }

    /** Send {@code bytes} body bytes, then nothing more (until the server is closed). */
    public LocalHttpServer stallAfter(String name, int bytes) {
        stallAfter.put("/" + name, bytes);
        return this;
    }

    /** Answer every request with the whole file (200), as servers without range support do. */
    public LocalHttpServer ignoreRanges() {
        honourRanges = false;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** A loopback port with nothing listening on it (bound, then released). */
    public static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        byte[] body = files.get(path);
        long sent = 0;
        boolean recorded = false;
        try {
            if (body == null) {
                recorded = record(path, range, 0);
                ex.sendResponseHeaders(404, -1);
                return;
            }
            int from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (honourRanges && m != null && m.matches()) {
                from = Integer.parseInt(m.group(1));
                if (from >= body.length) {
                    recorded = record(path, range, 0);
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            Integer cut = cutAfter.remove(path);
            Integer stall = stallAfter.get(path);
            int limit = body.length - from;
            if (cut != null) {
                limit = Math.min(limit, cut);
            }
            if (stall != null) {
                limit = Math.min(limit, stall);
            }
            OutputStream out = ex.getResponseBody();
            sent = limit;
            recorded = record(path, range, sent);
            out.write(body, from, limit);
            out.flush();
            if (stall != null) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (cut != null || stall != null) {
                // Fewer bytes than announced: closing the exchange drops the connection.
                ex.close();
                return;
            }
            out.close();
        } finally {
            if (!recorded) {
                record(path, range, sent);
            }
        }
    }

    /** Records a request before its response completes, so a test never reads the list too early. */
    private boolean record(String path, String range, long sent) {
        requests.add(new Request(path, range, sent));
        return true;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow(); // wakes stalled handlers
    }
}
