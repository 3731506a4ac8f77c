package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.CallException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class E2bErrorsTest {
    private static final String KEY = "e2b_0123456789abcdef0123456789abcdef";

    private static CallException refused(int status, String body) {
        return new CallException(ApiError.parse(status, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRefusedKeyPointsAtTheVariableAndDoesNotEchoTheBody() {
        SandboxException e = E2bErrors.api("create a sandbox", refused(401, "{\"code\":401,\"message\":\"Invalid API key " + KEY + "\"}"));
        assertThat(e.getMessage()).contains("E2B_API_KEY").doesNotContain(KEY);
        assertThat(e.getCause()).isInstanceOf(CallException.class);
    }

    @Test
    void rateAndConcurrencyLimitsSayWhatToDo() {
        SandboxException e = E2bErrors.api("create a sandbox",
                refused(429, "{\"code\":429,\"message\":\"You have reached the maximum number of concurrent sandboxes\"}"));
        assertThat(e.getMessage()).contains("rate or concurrency limit", "create a sandbox", "maximum number of concurrent sandboxes",
                "wait", "cct sandboxes clean");
    }

    @Test
    void serverFaultsSuggestTryingAgain() {
        assertThat(E2bErrors.api("list sandboxes", refused(503, "")).getMessage())
                .isEqualTo("E2B failed (HTTP 503) while trying to list sandboxes; try again later");
        assertThat(E2bErrors.api("list sandboxes", refused(500, "{\"code\":500,\"message\":\"db down\"}")).getMessage())
                .isEqualTo("E2B failed (HTTP 500) while trying to list sandboxes (db down); try again later");
    }

    @Test
    void otherRefusals() {
        assertThat(E2bErrors.api("create a sandbox", refused(400, "{\"code\":400,\"message\":\"Timeout exceeds limit\"}")).getMessage())
                .isEqualTo("E2B refused to create a sandbox: Timeout exceeds limit");
        assertThat(E2bErrors.api("create a sandbox", refused(400, "")).getMessage())
                .isEqualTo("E2B refused to create a sandbox: bad request");
        assertThat(E2bErrors.api("create a sandbox from template 'x'", refused(404, "{\"code\":404,\"message\":\"template not found\"}")).getMessage())
                .isEqualTo("E2B could not create a sandbox from template 'x': not found (template not found)");
        assertThat(E2bErrors.api("kill sandbox i1", refused(403, "")).getMessage()).isEqualTo("the E2B API key may not kill sandbox i1");
        assertThat(E2bErrors.api("kill sandbox i1", refused(409, "{\"code\":409,\"message\":\"paused\"}")).getMessage())
                .isEqualTo("E2B refused to kill sandbox i1: HTTP 409: paused");
    }

    @Test
    void aGoneSandboxReadsAsExpired() {
        SandboxException e = E2bErrors.envd("read /home/user/out.tar",
                refused(502, "{\"sandboxId\":\"ivy3k2m9q0w8e7r6t5y4u\",\"message\":\"The sandbox was not found\",\"code\":502}"));
        assertThat(e.getMessage()).isEqualTo(E2bErrors.EXPIRED);
    }

    @Test
    void envdRefusals() {
        assertThat(E2bErrors.envd("read f", refused(401, "{\"code\":401,\"message\":\"unauthorized access\"}")).getMessage())
                .isEqualTo("the sandbox refused cct's access token while trying to read f");
        assertThat(E2bErrors.envd("signal process 4", refused(404, "{\"code\":\"not_found\",\"message\":\"no process\"}")).getMessage())
                .isEqualTo("the sandbox could not signal process 4: not_found: no process");
    }

    @Test
    void networkFailuresNameTheActionAndTheReason() {
        assertThat(E2bErrors.network("create a sandbox", new ConnectException("Connection refused")).getMessage())
                .isEqualTo("cannot reach E2B to create a sandbox: Connection refused");
        assertThat(E2bErrors.network("create a sandbox", new IOException()).getMessage())
                .isEqualTo("cannot reach E2B to create a sandbox: IOException");
    }
}
