package dev.cct.sandbox.docker;

import dev.cct.sandbox.EgressPolicy;
import java.net.URI;
import java.util.Locale;

/**
 * The credential the gateway adds to Claude's API calls, so that the sandbox holds only a placeholder. A class, not
 * a record, so that the credential can never show in a generated {@code toString}.
 */
public final class CredentialRelay {
    /** What Claude Code gets in the sandbox instead of the real credential. */
    public static final String PLACEHOLDER = "cct-credential-kept-outside";

    private final URI upstream;
    private final boolean bearer;
    private final String credential;

    private CredentialRelay(URI upstream, boolean bearer, String credential) {
        // The gateway's configuration holds it as a literal, where a '$', a quote or a control character would be read
        // as something else; Anthropic's keys and tokens never have them.
        if (credential == null || !credential.matches("[A-Za-z0-9._~+/=:-]+")) {
            throw new IllegalArgumentException("the credential has characters the gateway cannot pass on as they are");
        }
        this.upstream = upstream;
        this.bearer = bearer;
        this.credential = credential;
    }

    /** An API key, sent upstream as {@code x-api-key}. */
    public static CredentialRelay apiKey(String baseUrl, String key) {
        return new CredentialRelay(upstream(baseUrl), false, key);
    }

    /** An OAuth token, sent upstream as {@code Authorization: Bearer}. */
    public static CredentialRelay oauthToken(String baseUrl, String token) {
        return new CredentialRelay(upstream(baseUrl), true, token);
    }

    private static URI upstream(String baseUrl) {
        URI uri = URI.create(baseUrl == null || baseUrl.isBlank() ? "https://" + EgressPolicy.CLAUDE_API_HOST : baseUrl.trim());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("ANTHROPIC_BASE_URL must be an http or https URL to keep the key outside the sandbox");
        }
        return uri;
    }

    URI upstream() {
        return upstream;
    }

    /** Whether Claude Code sends the credential as a bearer token (an OAuth token) rather than an API key. */
    boolean bearer() {
        return bearer;
    }

    String credential() {
        return credential;
    }

    @Override
    public String toString() {
        return "CredentialRelay[" + upstream + ", " + (bearer ? "bearer token" : "api key") + " ****]";
    }
}
