package dev.cct.sandbox.e2b;

/**
 * What the API answers when a sandbox is created or connected to. Not a record: the envd access token opens the
 * sandbox to anyone holding it, so it must never appear in a generated {@code toString}.
 */
final class CreatedSandbox {
    private final String id;
    private final String envdVersion;
    private final String envdAccessToken;
    private final String domain;

    CreatedSandbox(String id, String envdVersion, String envdAccessToken, String domain) {
        this.id = id;
        this.envdVersion = envdVersion;
        this.envdAccessToken = envdAccessToken;
        this.domain = domain;
    }

    String id() {
        return id;
    }

    String envdVersion() {
        return envdVersion;
    }

    String envdAccessToken() {
        return envdAccessToken;
    }

    /** The domain the sandbox lives on, or null for the configured one. */
    String domain() {
        return domain;
    }

    @Override
    public String toString() {
        return "CreatedSandbox[" + id + ", envd " + envdVersion + ", token=****]";
    }
}
