package dev.cct.sandbox.e2b;

/** POSIX shell quoting for the few values cct itself writes into scripts (paths it chose), never user data. */
final class Shell {
    private Shell() {
    }

    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
