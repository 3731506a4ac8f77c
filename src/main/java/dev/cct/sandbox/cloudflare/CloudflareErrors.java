package dev.cct.sandbox.cloudflare;

import dev.cct.core.Secrets;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.CallException;
import java.io.IOException;

/**
 * Turns the Worker's refusals and network failures into one-line messages that name the fix. Messages carry the
 * Worker's address (not a secret) and never the token.
 */
final class CloudflareErrors {
    static final String DEPLOY = "deploy the Worker with 'cct cloudflare deploy' and set the "
            + Secrets.CLOUDFLARE_SANDBOX_URL + " it prints";
    static final String GONE = "the Cloudflare sandbox is gone (its container slept, crashed or was destroyed)";

    private CloudflareErrors() {
    }

    /** A refusal while trying to {@code action} (e.g. "create a sandbox"). */
    static SandboxException refused(String action, WorkerError error, String worker) {
        String detail = error.message().isEmpty() ? "" : " (" + error.message() + ")";
        String message;
        if (error.httpStatus() == 401 || error.is("unauthorized")) {
            message = "the Worker at " + worker + " refused " + Secrets.CLOUDFLARE_SANDBOX_TOKEN
                    + "; set it to the token 'cct cloudflare deploy' printed (or store a new one with"
                    + " 'wrangler secret put " + Secrets.CLOUDFLARE_SANDBOX_TOKEN + "')";
        } else if (error.is("not_configured")) {
            message = "the Worker at " + worker + " has no token configured; set the secret with 'wrangler secret put "
                    + Secrets.CLOUDFLARE_SANDBOX_TOKEN + "' (or run 'cct cloudflare deploy' again)";
        } else if (error.httpStatus() == 413 || error.is("payload_too_large")) {
            message = "the Worker refused the upload as too large" + detail
                    + "; upload less (--upload a smaller folder, or add it to .gitignore)";
        } else if (error.notFound()) {
            message = GONE + " while trying to " + action + detail;
        } else if (error.httpStatus() == 400) {
            message = "the Worker refused to " + action + ": " + (error.message().isEmpty() ? "bad request" : error.message());
        } else if (error.httpStatus() >= 500) {
            message = "the Worker failed (" + error.describe() + ") while trying to " + action + "; try again later";
        } else {
            message = "the Worker refused to " + action + ": " + error.describe();
        }
        return new SandboxException(message, new CallException(error));
    }

    static SandboxException unreachable(String action, IOException e, String worker) {
        return new SandboxException("cannot reach the Worker at " + worker + " to " + action + " (" + reason(e)
                + "); check " + Secrets.CLOUDFLARE_SANDBOX_URL + ", or " + DEPLOY, e);
    }

    /** The connection broke after a call that must not run twice was sent: it may have happened anyway. */
    static SandboxException broken(String action, IOException e, String worker) {
        return new SandboxException("the connection to the Worker at " + worker + " broke while trying to " + action
                + " (" + reason(e) + "); it may have happened anyway: run 'cct sandboxes clean'", e);
    }

    /** The Worker's {@code error} event: the command could not run, or the sandbox failed under it. */
    static SandboxException execFailed(ExecEvent.Failure failure) {
        String what = failure.message().isEmpty() ? failure.code() : failure.code() + ": " + failure.message();
        return new SandboxException("the Cloudflare sandbox could not run the command (" + WorkerError.oneLine(what) + ")");
    }

    static String reason(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : WorkerError.oneLine(message);
    }
}
