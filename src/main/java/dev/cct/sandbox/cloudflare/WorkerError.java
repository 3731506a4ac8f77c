package dev.cct.sandbox.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.sandbox.http.Refusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * A refusal from the Worker: the HTTP status and the contract's {@code {"code":"...","message":"..."}} body. A
 * body of another shape (a proxy's HTML page, say) keeps only the status and a cut first line.
 */
record WorkerError(int httpStatus, String code, String message) implements Refusal {
    private static final long MAX_BODY = 16 * 1024;

    /** Reads the error out of a refused response and closes it. */
    static WorkerError read(Response response) {
        byte[] body = new byte[0];
        try (response) {
            BufferedSource source = response.body().source();
            source.request(MAX_BODY);
            body = source.readByteArray(Math.min(source.getBuffer().size(), MAX_BODY));
        } catch (IOException e) {
            // The status alone still says what happened.
        }
        return parse(response.code(), body);
    }

    static WorkerError parse(int httpStatus, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode json = text.isEmpty() ? null : Json.mapper().readTree(text);
            if (json != null && json.isObject() && json.path("code").isTextual()) {
                return new WorkerError(httpStatus, json.get("code").asText(), oneLine(json.path("message").asText("")));
            }
        } catch (IOException e) {
            // Not JSON: fall through.
        }
        return new WorkerError(httpStatus, "", text.startsWith("<") ? "" : oneLine(text));
    }

    boolean is(String expectedCode) {
        return expectedCode.equals(code);
    }

    @Override
    public boolean notFound() {
        return httpStatus == 404;
    }

    boolean serverFault() {
        return httpStatus >= 500 && httpStatus != 501 && !is("not_configured");
    }

    /** "HTTP 500 internal: message" on one line. */
    @Override
    public String describe() {
        String what = "HTTP " + httpStatus + (code.isEmpty() ? "" : " " + code);
        return message.isEmpty() ? what : what + ": " + message;
    }

    static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
