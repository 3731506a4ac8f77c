package dev.cct.sandbox.e2b;

import dev.cct.core.CctException;
import dev.cct.core.Secrets;
import okhttp3.HttpUrl;

/**
 * Where E2B lives and the key that opens it, read once from {@link Secrets}. A final class rather than a record so
 * that the key can never leak through a generated {@code toString}.
 */
public final class E2bConfig {
    static final String DEFAULT_DOMAIN = "e2b.app";
    static final int ENVD_PORT = 49983;

    private final String apiKey;
    private final String domain;
    private final HttpUrl apiUrl;
    private final HttpUrl sandboxUrl;

    E2bConfig(String apiKey, String domain, HttpUrl apiUrl, HttpUrl sandboxUrl) {
        this.apiKey = apiKey;
        this.domain = domain;
        this.apiUrl = apiUrl;
        this.sandboxUrl = sandboxUrl;
    }

    /** Reads the configuration; a missing key or a malformed URL is bad input (exit 2), found before anything is created. */
    static E2bConfig from(Secrets secrets) {
        String key = secrets.get(Secrets.E2B_API_KEY);
        if (key == null || key.isBlank()) {
            throw CctException.badInput("E2B_API_KEY is not set",
                    "create a key in the E2B dashboard and put it in the environment or in .env");
        }
        String domain = blankToNull(secrets.get("E2B_DOMAIN"));
        domain = domain == null ? DEFAULT_DOMAIN : domain;
        String api = blankToNull(secrets.get("E2B_API_URL"));
        HttpUrl apiUrl = url("E2B_API_URL", api == null ? "https://api." + domain : api);
        String sandbox = blankToNull(secrets.get("E2B_SANDBOX_URL"));
        return new E2bConfig(key.strip(), domain, apiUrl, sandbox == null ? null : url("E2B_SANDBOX_URL", sandbox));
    }

    String apiKey() {
        return apiKey;
    }

    HttpUrl apiUrl() {
        return apiUrl;
    }

    /**
     * The envd base URL of one sandbox: the override when set (a shared host that routes by the E2b-Sandbox-Id
     * header), else the sandbox's own host on the domain the API named for it, or the configured one.
     */
    HttpUrl envdUrl(String sandboxId, String sandboxDomain) {
        if (sandboxUrl != null) {
            return sandboxUrl;
        }
        String host = ENVD_PORT + "-" + sandboxId + "." + (sandboxDomain == null || sandboxDomain.isBlank() ? domain : sandboxDomain);
        return url("the sandbox domain", "https://" + host);
    }

    private static HttpUrl url(String name, String text) {
        HttpUrl url = HttpUrl.parse(text.strip());
        if (url == null) {
            throw CctException.badInput(name + " is not a valid http(s) URL: " + text, "use a form such as https://api.e2b.app");
        }
        return url;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "E2bConfig[api=" + apiUrl + ", domain=" + domain + ", sandboxUrl=" + sandboxUrl + ", key=****]";
    }
}
