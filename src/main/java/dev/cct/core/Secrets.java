package dev.cct.core;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keys and endpoints, read only from the environment or a {@code .env} file in the working directory (the
 * environment wins). No flag ever carries one: argv is visible to every user of the machine.
 * Every secret value is also registered for masking, so it can be scrubbed from anything cct prints.
 */
public final class Secrets {
    public static final String ANTHROPIC_API_KEY = "ANTHROPIC_API_KEY";
    public static final String CLAUDE_CODE_OAUTH_TOKEN = "CLAUDE_CODE_OAUTH_TOKEN";
    public static final String ANTHROPIC_BASE_URL = "ANTHROPIC_BASE_URL";
    public static final String E2B_API_KEY = "E2B_API_KEY";
    public static final String CLOUDFLARE_SANDBOX_URL = "CLOUDFLARE_SANDBOX_URL";
    public static final String CLOUDFLARE_SANDBOX_TOKEN = "CLOUDFLARE_SANDBOX_TOKEN";

    /** Names whose values are secret and must never be shown. */
    public static final Set<String> SECRET_NAMES =
            Set.of(ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN, E2B_API_KEY, CLOUDFLARE_SANDBOX_TOKEN);

    /** Every variable cct itself reads from the environment or .env. */
    public static final List<String> KNOWN_NAMES = List.of(ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN,
            ANTHROPIC_BASE_URL, E2B_API_KEY, "E2B_DOMAIN", "E2B_API_URL", "E2B_SANDBOX_URL", CLOUDFLARE_SANDBOX_URL,
            CLOUDFLARE_SANDBOX_TOKEN, "CCT_CATALOG_URL");

    private final Map<String, String> values;
    private final List<String> masked = new ArrayList<>();

    private Secrets(Map<String, String> values) {
        this.values = values;
        values.forEach((name, value) -> {
            if (SECRET_NAMES.contains(name)) {
                addMasked(value);
            }
        });
    }

    /** Reads {@code .env} from the working directory (if present) under the process environment. */
    public static Secrets load(Environment environment) {
        Map<String, String> values = new LinkedHashMap<>();
        Path dotenvFile = environment.workingDirectory().resolve(".env");
        if (Files.isRegularFile(dotenvFile)) {
            for (DotenvEntry entry : readDotenv(dotenvFile).entries()) {
                if (!entry.getValue().isEmpty()) {
                    values.put(entry.getKey(), entry.getValue());
                }
            }
        }
        for (String name : KNOWN_NAMES) {
            String fromEnvironment = environment.get(name);
            if (fromEnvironment != null) {
                values.put(name, fromEnvironment);
            }
        }
        return new Secrets(values);
    }

    public static Secrets of(Map<String, String> values) {
        return new Secrets(new LinkedHashMap<>(values));
    }

    /** Parses a dotenv file; a malformed one is bad input, reported with its path. */
    public static Dotenv readDotenv(Path file) {
        if (!Files.isReadable(file)) {
            throw CctException.badInput("cannot read " + file, "check that the file exists and is readable");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            return Dotenv.configure().directory(parent.toString()).filename(file.getFileName().toString()).load();
        } catch (DotenvException e) {
            throw CctException.badInput("malformed env file " + file + ": " + oneLine(e.getMessage()),
                    "use one KEY=VALUE per line; quote values that contain spaces or '#'");
        }
    }

    private static String oneLine(String message) {
        return message == null ? "unreadable" : message.replaceAll("\\s+", " ").trim();
    }

    public String get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        String value = values.get(name);
        return value != null && !value.isBlank();
    }

    /** The variables Claude Code itself reads: its credential and, when set, the API endpoint. */
    public Map<String, String> forClaude() {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : List.of(ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN, ANTHROPIC_BASE_URL)) {
            if (has(name)) {
                result.put(name, values.get(name));
            }
        }
        return result;
    }

    /** Registers a further value (for example from --env) that must never be printed. */
    public void addMasked(String value) {
        if (value != null && value.length() >= 4 && !masked.contains(value)) {
            masked.add(value);
            // Longest first, so a secret that contains another is masked whole.
            masked.sort(Comparator.comparingInt(String::length).reversed());
        }
    }

    /** Replaces every secret value in {@code text} with asterisks. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : masked) {
            result = result.replace(secret, "****");
        }
        return result;
    }

    /** A description safe to print: set or not, never the value. */
    public String describe(String name) {
        if (!has(name)) {
            return "not set";
        }
        return SECRET_NAMES.contains(name) ? "set (****)" : mask(values.get(name));
    }

    @Override
    public String toString() {
        return "Secrets" + values.keySet();
    }
}
