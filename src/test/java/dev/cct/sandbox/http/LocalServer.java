package dev.cct.sandbox.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A real HTTP server on 127.0.0.1 for the client's tests: it records every request (with its body, read in full
 * before answering) and answers from a script, one handler per request; when the script runs out it answers 404.
 * Shared by the tests of both cloud clients.
 */
public final class LocalServer implements AutoCloseable {
    /** A client for local servers: quick to give up, since nothing here is far away. */
    public static final OkHttpClient CLIENT = new OkHttpClient.Builder().connectTimeout(2, TimeUnit.SECONDS)
            .readTimeout(5, TimeUnit.SECONDS).build();

    /** One request as the server saw it. */
    public record Seen(String method, String path, String rawQuery, Headers headers, byte[] body) {
        public String header(String name) {
            return headers.getFirst(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Deque<Handler> script = new ArrayDeque<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    static {
        // Headers and body leave in separate writes: without this, Nagle's algorithm adds ~40 ms to many answers.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body));
                Handler next;
                synchronized (script) {
                    next = script.poll();
                }
                (next == null ? json(404, "{\"code\":404,\"message\":\"nothing scripted\"}") : next).handle(exchange);
            }
        });
        server.start();
    }

    public static LocalServer start() throws IOException {
        return new LocalServer();
    }

    /** Answers the next request with {@code handler}. */
    public LocalServer then(Handler handler) {
        synchronized (script) {
            script.add(handler);
        }
        return this;
    }

    /** Answers the next request with {@code status} and a JSON body (none when empty), plus header name/value pairs. */
    public LocalServer thenJson(int status, String body, String... headers) {
        return then(json(status, body, headers));
    }

    public HttpUrl url() {
        return HttpUrl.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public List<Seen> requests() {
        return seen;
    }

    public Seen onlyRequest() {
        if (seen.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + seen.size());
        }
        return seen.get(0);
    }

    public static Handler json(int status, String body, String... headers) {
        return reply(status, body.isEmpty() ? null : "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public static Handler reply(int status, String contentType, byte[] body, String... headers) {
        return exchange -> {
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            for (int i = 0; i < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            boolean empty = body.length == 0;
            exchange.sendResponseHeaders(status, empty ? -1 : body.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
