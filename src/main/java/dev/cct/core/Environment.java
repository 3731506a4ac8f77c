package dev.cct.core;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What cct reads from the world it was started in: environment variables, working directory and standard input.
 * Passed explicitly so the whole program can run in-process in tests with a made-up world.
 */
public record Environment(Map<String, String> variables, Path workingDirectory, InputStream stdin) {

    public static Environment system() {
        return new Environment(System.getenv(), Path.of("").toAbsolutePath(), System.in);
    }

    public String get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Resolves a path given on the command line against the working directory, expanding a leading "~/". */
    public Path resolve(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            String home = get("HOME") != null ? get("HOME") : System.getProperty("user.home");
            return Path.of(home).resolve(path.equals("~") ? "" : path.substring(2)).normalize();
        }
        return workingDirectory.resolve(path).normalize();
    }

    /** The per-user cache directory: $CCT_CACHE_DIR, else $XDG_CACHE_HOME/cct, else ~/.cache/cct. */
    public Path cacheDirectory() {
        if (get("CCT_CACHE_DIR") != null) {
            return Path.of(get("CCT_CACHE_DIR"));
        }
        if (get("XDG_CACHE_HOME") != null) {
            return Path.of(get("XDG_CACHE_HOME"), "cct");
        }
        String home = get("HOME") != null ? get("HOME") : System.getProperty("user.home");
        return Path.of(home, ".cache", "cct");
    }

    /** The per-user data directory (run records): $CCT_DATA_DIR, else $XDG_DATA_HOME/cct, else ~/.local/share/cct. */
    public Path dataDirectory() {
        if (get("CCT_DATA_DIR") != null) {
            return Path.of(get("CCT_DATA_DIR"));
        }
        if (get("XDG_DATA_HOME") != null) {
            return Path.of(get("XDG_DATA_HOME"), "cct");
        }
        String home = get("HOME") != null ? get("HOME") : System.getProperty("user.home");
        return Path.of(home, ".local", "share", "cct");
    }

    /** True when a CI system is driving us: no prompts, no animation. */
    public boolean isCi() {
        String ci = get("CI");
        return ci != null && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }
}
