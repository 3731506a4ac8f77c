package dev.cct.sandbox.e2b;

import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.CallException;
import java.io.IOException;

/** Turns E2B's refusals and network failures into one-line messages that say what to do. Never includes secrets. */
final class E2bErrors {
    static final String EXPIRED = "the E2B sandbox expired or was killed during the run"
            + " (it reached its lifetime limit, or was killed from outside)";

    private E2bErrors() {
    }

    /** A refusal from the REST API while trying to {@code action} (e.g. "create a sandbox"). */
    static SandboxException api(String action, CallException e) {
        ApiError error = e.error(ApiError.class);
        String detail = error.message().isEmpty() ? "" : " (" + error.message() + ")";
        int status = error.status();
        String message;
        if (status == 401) {
            message = "the E2B API key was refused; check E2B_API_KEY";
        } else if (status == 403) {
            message = "the E2B API key may not " + action + detail;
        } else if (status == 429) {
            message = "E2B rate or concurrency limit reached while trying to " + action + detail
                    + "; wait, or kill sandboxes you no longer need ('cct sandboxes clean')";
        } else if (status == 400) {
            message = "E2B refused to " + action + ": " + (error.message().isEmpty() ? "bad request" : error.message());
        } else if (status == 404) {
            message = "E2B could not " + action + ": not found" + detail;
        } else if (status >= 500) {
            message = "E2B failed (HTTP " + status + ") while trying to " + action + detail + "; try again later";
        } else {
            message = "E2B refused to " + action + ": " + error.describe();
        }
        return status == 429 ? SandboxException.limit(message, e) : new SandboxException(message, e);
    }

    static SandboxException network(String action, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new SandboxException("cannot reach E2B to " + action + ": " + reason, e);
    }

    /** A refusal from envd (inside the sandbox) while trying to {@code action}. */
    static SandboxException envd(String action, CallException e) {
        ApiError error = e.error(ApiError.class);
        if (error.sandboxGone()) {
            return new SandboxException(EXPIRED, e);
        }
        if (error.unauthorized()) {
            return new SandboxException("the sandbox refused cct's access token while trying to " + action, e);
        }
        return new SandboxException("the sandbox could not " + action + ": " + error.describe(), e);
    }
}
