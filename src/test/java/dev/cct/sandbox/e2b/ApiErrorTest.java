package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiErrorTest {

    private static ApiError parse(int status, String body) {
        return ApiError.parse(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void restErrorWithAnIntegerCode() {
        ApiError error = parse(404, "{\"code\":404,\"message\":\"sandbox ivy3k2 not found\",\"error_code\":\"x\"}");
        assertThat(error.bodyCode()).isEqualTo(404);
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.notFound()).isTrue();
        assertThat(error.sandboxGone()).isFalse();
        assertThat(error.unauthorized()).isFalse();
        assertThat(error.describe()).isEqualTo("HTTP 404: sandbox ivy3k2 not found");
    }

    @Test
    void theBodyCodeDecidesOverTheHttpStatus() {
        // E2B reads "not found" from the body's code.
        ApiError error = parse(400, "{\"code\":404,\"message\":\"gone\"}");
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.notFound()).isTrue();
        // A code that is no HTTP status leaves the HTTP status in charge.
        assertThat(parse(500, "{\"code\":7,\"message\":\"x\"}").status()).isEqualTo(500);
    }

    @Test
    void connectErrorWithAStringCode() {
        ApiError error = parse(404, "{\"code\":\"not_found\",\"message\":\"process with pid 412 not found\"}");
        assertThat(error.connectCode()).isEqualTo("not_found");
        assertThat(error.notFound()).isTrue();
        assertThat(error.describe()).isEqualTo("not_found: process with pid 412 not found");
        assertThat(parse(401, "{\"code\":\"unauthenticated\",\"message\":\"no\"}").unauthorized()).isTrue();
        // A Connect error is never the proxy's "sandbox gone", whatever the HTTP status.
        assertThat(parse(502, "{\"code\":\"unavailable\",\"message\":\"x\"}").sandboxGone()).isFalse();
    }

    @Test
    void theEdgeProxysGoneSandbox() {
        ApiError error = parse(502, "{\"sandboxId\":\"ivy3k2m9q0w8e7r6t5y4u\",\"message\":\"The sandbox was not found\",\"code\":502}");
        assertThat(error.sandboxGone()).isTrue();
        assertThat(error.notFound()).isFalse();
        assertThat(error.status()).isEqualTo(502);
        assertThat(error.describe()).isEqualTo("HTTP 502: The sandbox was not found");
        assertThat(parse(502, "").sandboxGone()).isTrue();
        assertThat(parse(200, "{\"code\":502}").sandboxGone()).isTrue();
    }

    @Test
    void anEmptyBodyFallsBackToTheStatus() {
        ApiError error = parse(401, "");
        assertThat(error.message()).isEmpty();
        assertThat(error.status()).isEqualTo(401);
        assertThat(error.unauthorized()).isTrue();
        assertThat(error.describe()).isEqualTo("HTTP 401");
        assertThat(parse(404, "  \n").notFound()).isTrue();
    }

    @Test
    void aNonJsonBodyBecomesTheMessage() {
        ApiError error = parse(503, "<html>\n<body>Service Unavailable</body>\n</html>\n");
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.message()).isEqualTo("<html> <body>Service Unavailable</body> </html>");
        assertThat(parse(500, "[1,2]").message()).isEqualTo("[1,2]");
        assertThat(parse(500, "{\"code\":").message()).isEqualTo("{\"code\":");
    }

    @Test
    void longMultiLineMessagesAreFoldedToOneShortLine() {
        String message = "first line\n\tsecond line\r\n" + "x".repeat(500);
        ApiError error = parse(400, "{\"code\":400,\"message\":" + "\"" + message.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"}");
        assertThat(error.message()).startsWith("first line second line xxx").doesNotContain("\n", "\r", "\t")
                .hasSize(303).endsWith("...");
    }

    @Test
    void secretsTheServerEchoesAreMaskedBeforeFolding() {
        String key = "e2b_" + "ab12".repeat(8);
        ApiError error = ApiError.parse(400, ("{\"code\":400,\"message\":\"" + "y".repeat(280) + " key " + key + " refused\"}")
                .getBytes(StandardCharsets.UTF_8), key, null, "abc");
        assertThat(error.message()).doesNotContain(key).doesNotContain("ab12ab12").contains(" key ****");
        assertThat(ApiError.parse(500, ("plain text " + key).getBytes(StandardCharsets.UTF_8), key).message()).isEqualTo("plain text ****");
    }
}
