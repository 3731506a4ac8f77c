package dev.cct.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A catalog served on loopback the way the tests need it: each request's path goes to one function, whose bytes
 * are the answer (200) and whose null is a 404. Tests that need a stranger answer add a context to {@link #server}.
 */
public final class CatalogServer implements AutoCloseable {
    /** The body for a request path, or null for 404. */
    @FunctionalInterface
    public interface Answers {
        byte[] answer(String path) throws IOException;
    }

    private final HttpServer server;

    private CatalogServer(HttpServer server) {
        this.server = server;
    }

    public static CatalogServer start(Answers answers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> respond(exchange, answers.answer(exchange.getRequestURI().getPath())));
        server.start();
        return new CatalogServer(server);
    }

    /** "http://127.0.0.1:PORT", without a trailing slash. */
    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public HttpServer server() {
        return server;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(body == null ? 404 : 200, body == null || body.length == 0 ? -1 : body.length);
        if (body != null) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }
}
