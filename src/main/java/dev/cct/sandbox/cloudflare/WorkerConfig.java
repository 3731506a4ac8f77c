package dev.cct.sandbox.cloudflare;

import dev.cct.core.CctException;
import dev.cct.core.Secrets;
import okhttp3.HttpUrl;

/**
 * Where cct's Worker lives and the bearer token that opens it, read once from {@link Secrets}. A final class
 * rather than a record so that the token can never leak through a generated {@code toString}.
 */
public final class WorkerConfig {
    private final HttpUrl baseUrl;
    private final String token;

    WorkerConfig(HttpUrl baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Reads and checks both variables; a missing or malformed one is bad input (exit 2), before anything exists. */
    static WorkerConfig from(Secrets secrets) {
        String url = secrets.get(Secrets.CLOUDFLARE_SANDBOX_URL);
        if (url == null || url.isBlank()) {
            throw CctException.badInput(Secrets.CLOUDFLARE_SANDBOX_URL + " is not set",
                    "deploy the Worker with 'cct cloudflare deploy' and set the URL it prints");
        }
        HttpUrl parsed = HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw CctException.badInput(Secrets.CLOUDFLARE_SANDBOX_URL + " is not a valid http(s) URL",
                    "use the Worker's address, such as https://cct-sandbox.example.workers.dev");
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty() || parsed.query() != null) {
            throw CctException.badInput(Secrets.CLOUDFLARE_SANDBOX_URL + " must not carry a user, password or query",
                    "the token goes in " + Secrets.CLOUDFLARE_SANDBOX_TOKEN + ", the URL is just the Worker's address");
        }
        String token = secrets.get(Secrets.CLOUDFLARE_SANDBOX_TOKEN);
        if (token == null || token.isBlank()) {
            throw CctException.badInput(Secrets.CLOUDFLARE_SANDBOX_TOKEN + " is not set",
                    "set it to the token 'cct cloudflare deploy' printed");
        }
        String clean = token.strip();
        // Checked here because an HTTP header cannot carry such characters and the error would come much later.
        if (!clean.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw CctException.badInput(Secrets.CLOUDFLARE_SANDBOX_TOKEN + " contains spaces or non-ASCII characters",
                    "copy the token exactly as 'cct cloudflare deploy' printed it");
        }
        return new WorkerConfig(parsed, clean);
    }

    HttpUrl baseUrl() {
        return baseUrl;
    }

    String token() {
        return token;
    }

    /** The Worker's address as messages may show it. */
    String display() {
        String text = baseUrl.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public String toString() {
        return "WorkerConfig[" + display() + ", token=****]";
    }
}
