package dev.cct.testing.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The Connect protocol with the JSON codec, as envd speaks it: unary calls and server-streaming envelopes. */
final class ConnectRpc {

    static final String STREAM_TYPE = "application/connect+json";
    private static final int FLAG_END_STREAM = 0x02;

    /** A Connect error: a string code, mapped to an HTTP status for unary calls. */
    static final class RpcError extends Exception {
        final String code;

        RpcError(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private ConnectRpc() {
    }

    static int httpStatus(String code) {
        switch (code) {
            case "canceled": return 499;
            case "invalid_argument":
            case "failed_precondition":
            case "out_of_range": return 400;
            case "deadline_exceeded": return 504;
            case "not_found": return 404;
            case "already_exists":
            case "aborted": return 409;
            case "permission_denied": return 403;
            case "resource_exhausted": return 429;
            case "unimplemented": return 501;
            case "unavailable": return 503;
            case "unauthenticated": return 401;
            default: return 500;
        }
    }

    /** A unary request message. An empty body is an error: clients must send at least {@code {}}. */
    static JsonNode readUnary(HttpLite.Request request) throws IOException, RpcError {
        byte[] body = request.bodyBytes();
        if (body.length == 0) {
            throw new RpcError("invalid_argument", "empty request body: a unary call sends at least {}");
        }
        return parse(body);
    }

    /** The single envelope of a server-streaming request. */
    static JsonNode readEnvelope(HttpLite.Request request) throws IOException, RpcError {
        byte[] body = request.bodyBytes();
        if (body.length < 5) {
            throw new RpcError("invalid_argument", "a streaming request carries one enveloped message");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        int flags = b.get() & 0xff;
        int length = b.getInt();
        if (flags != 0 || length != body.length - 5) {
            throw new RpcError("invalid_argument", "bad envelope: flags " + flags + ", length " + length);
        }
        byte[] message = new byte[length];
        b.get(message);
        return parse(message);
    }

    private static JsonNode parse(byte[] json) throws RpcError {
        try {
            return FakeJson.parse(json);
        } catch (IOException e) {
            throw new RpcError("invalid_argument", "request is not JSON: " + e.getMessage());
        }
    }

    static void sendUnary(HttpLite.Exchange exchange, JsonNode message) throws IOException {
        exchange.send(200, Map.of("Content-Type", "application/json"),
                FakeJson.write(message).getBytes(StandardCharsets.UTF_8));
    }

    static void sendUnaryError(HttpLite.Exchange exchange, RpcError e) throws IOException {
        exchange.send(httpStatus(e.code), Map.of("Content-Type", "application/json"),
                FakeJson.write(FakeJson.connectError(e.code, e.getMessage())).getBytes(StandardCharsets.UTF_8));
    }

    /** A stream that fails before its first message: HTTP 200 and only the end-of-stream frame, as connect-go does. */
    static void sendStreamError(HttpLite.Exchange exchange, RpcError e) throws IOException {
        try (OutputStream body = exchange.stream(200, Map.of("Content-Type", STREAM_TYPE))) {
            endStream(body, e);
        }
    }

    static void message(OutputStream body, JsonNode message) throws IOException {
        frame(body, 0, FakeJson.write(message));
    }

    /** The end-of-stream frame: {@code {}} on success, else {@code {"error":{...}}}. */
    static void endStream(OutputStream body, RpcError error) throws IOException {
        ObjectNode end = FakeJson.object();
        if (error != null) {
            end.set("error", FakeJson.connectError(error.code, error.getMessage()));
        }
        frame(body, FLAG_END_STREAM, FakeJson.write(end));
    }

    /** One envelope, written in one piece so that it travels as one chunk. */
    private static void frame(OutputStream body, int flags, String json) throws IOException {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(5 + payload.length);
        b.put((byte) flags).putInt(payload.length).put(payload);
        body.write(b.array());
    }
}
