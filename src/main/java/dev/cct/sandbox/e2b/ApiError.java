package dev.cct.sandbox.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.sandbox.http.Refusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * One refused HTTP call, read the way E2B's three kinds of error bodies require: the REST API and envd's plain
 * HTTP paths send {@code {"code":404,"message":...}} (an integer code), Connect RPC sends
 * {@code {"code":"not_found","message":...}} (a string code), and the edge proxy answers a gone sandbox with
 * {@code {"sandboxId":...,"code":502}}. A string code is a Connect error; otherwise the integer code, or the HTTP
 * status when there is none, decides.
 */
record ApiError(int httpStatus, String connectCode, int bodyCode, String message) implements Refusal {
    private static final long MAX_BODY = 64 * 1024;
    /** Request headers that carry secrets; a server that echoes one in its message must not make cct print it. */
    private static final String[] SECRET_HEADERS = {"X-API-Key", "X-Access-Token"};

    /** Reads the error out of a refused response and closes it. */
    static ApiError read(Response response) {
        byte[] body = new byte[0];
        try (response) {
            BufferedSource source = response.body().source();
            source.request(MAX_BODY);
            long available = Math.min(source.getBuffer().size(), MAX_BODY);
            body = source.readByteArray(available);
        } catch (IOException e) {
            // The status alone still says what happened.
        }
        String[] secrets = new String[SECRET_HEADERS.length];
        for (int i = 0; i < secrets.length; i++) {
            secrets[i] = response.request().header(SECRET_HEADERS[i]);
        }
        return parse(response.code(), body, secrets);
    }

    /** Parses an error body, with every occurrence of {@code secrets} in its message masked. */
    static ApiError parse(int httpStatus, byte[] body, String... secrets) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String connectCode = null;
        int bodyCode = 0;
        String message = "";
        try {
            JsonNode json = text.isEmpty() ? null : Json.mapper().readTree(text);
            if (json != null && json.isObject()) {
                JsonNode code = json.get("code");
                if (code != null && code.isTextual()) {
                    connectCode = code.asText();
                } else if (code != null && code.canConvertToInt()) {
                    bodyCode = code.asInt();
                }
                message = json.path("message").asText("");
            } else {
                message = text;
            }
        } catch (IOException e) {
            message = text;
        }
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                message = message.replace(secret, "****");
            }
        }
        return new ApiError(httpStatus, connectCode, bodyCode, oneLine(message));
    }

    /** The status that decides: the body's integer code when it has one (E2B reads "not found" from it), else HTTP's. */
    int status() {
        return connectCode == null && bodyCode >= 100 && bodyCode <= 599 ? bodyCode : httpStatus;
    }

    @Override
    public boolean notFound() {
        return "not_found".equals(connectCode) || (connectCode == null && status() == 404);
    }

    /** The edge proxy's answer for a sandbox that no longer exists (expired or killed). */
    boolean sandboxGone() {
        return connectCode == null && (httpStatus == 502 || bodyCode == 502);
    }

    boolean unauthorized() {
        return "unauthenticated".equals(connectCode) || (connectCode == null && status() == 401);
    }

    /** "HTTP 400: message" or "not_found: message", on one line. */
    @Override
    public String describe() {
        String what = connectCode != null ? connectCode : "HTTP " + status();
        return message.isEmpty() ? what : what + ": " + message;
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
