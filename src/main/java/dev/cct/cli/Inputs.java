package dev.cct.cli;

import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.core.Secrets;
import io.github.cdimascio.dotenv.DotenvEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing and checking of the values users type; each failure is one line with the fix, exit 2. */
final class Inputs {
    private static final Pattern PLAIN_SECONDS = Pattern.compile("\\d{1,9}");
    private static final Pattern WITH_UNITS = Pattern.compile("(\\d{1,9}[hms])+");
    private static final Pattern UNIT_PART = Pattern.compile("(\\d{1,9})([hms])");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private Inputs() {
    }

    /** An amount of dollars such as "5" or "0.50": positive, with at most two decimals' worth of meaning. */
    static double dollars(String flag, String text) {
        String t = text.trim().replaceFirst("^\\$", "");
        double amount;
        try {
            amount = new java.math.BigDecimal(t).doubleValue();
        } catch (NumberFormatException e) {
            throw CctException.badInput("invalid " + flag + " '" + text + "'", "give dollars as a number, e.g. 5 or 0.50");
        }
        if (!(amount > 0) || Double.isInfinite(amount)) {
            throw CctException.badInput(flag + " must be more than 0", "give dollars as a number, e.g. 5 or 0.50");
        }
        return amount;
    }

    /** "300" (seconds), "90s", "15m", "1h", or combined like "1h30m". */
    static Duration timeout(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        Duration total = null;
        if (PLAIN_SECONDS.matcher(t).matches()) {
            total = Duration.ofSeconds(Long.parseLong(t));
        } else if (WITH_UNITS.matcher(t).matches()) {
            total = Duration.ZERO;
            Matcher part = UNIT_PART.matcher(t);
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "h" -> Duration.ofHours(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofSeconds(amount);
                });
            }
        }
        if (total == null) {
            throw CctException.badInput("invalid --timeout '" + text + "'", "use seconds or a unit, e.g. 300, 90s, 15m, 1h");
        }
        if (total.compareTo(Duration.ofSeconds(1)) < 0 || total.compareTo(MAX_TIMEOUT) > 0) {
            throw CctException.badInput("--timeout " + text + " is out of range", "use between 1s and 24h");
        }
        return total;
    }

    /**
     * --env KEY=VALUE, or --env KEY to pass the variable's current value without putting it on the command line.
     */
    static Map<String, String> environment(List<String> pairs, Path envFile, Environment environment, Secrets secrets) {
        Map<String, String> result = new LinkedHashMap<>();
        if (envFile != null) {
            for (DotenvEntry entry : Secrets.readDotenv(envFile).entries(io.github.cdimascio.dotenv.Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
                result.put(entry.getKey(), entry.getValue());
            }
        }
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (!ENV_NAME.matcher(name).matches()) {
                throw CctException.badInput("invalid --env '" + secrets.mask(pair.length() > 40 ? pair.substring(0, 40) + "..." : pair)
                        + "'", "use --env KEY=VALUE with a name of letters, digits and '_' not starting with a digit");
            }
            String value;
            if (equals < 0) {
                value = environment.get(name) != null ? environment.get(name) : secrets.get(name);
                if (value == null) {
                    throw CctException.badInput("--env " + name + " is not set in the environment",
                            "export " + name + " first, or use --env " + name + "=VALUE");
                }
            } else {
                value = pair.substring(equals + 1);
            }
            result.put(name, value);
        }
        result.values().forEach(secrets::addMasked);
        return result;
    }

    record Prompt(String text, String source) {
    }

    static Prompt prompt(String prompt, String promptFile, Environment environment) {
        if (prompt != null && promptFile != null) {
            throw CctException.badInput("both --prompt and --prompt-file were given", "use one of them");
        }
        if (prompt == null && promptFile == null) {
            return null;
        }
        String text;
        String source;
        if (prompt != null) {
            text = prompt;
            source = "--prompt";
        } else if (promptFile.equals("-")) {
            try {
                text = new String(environment.stdin().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CctException.badInput("cannot read the prompt from standard input: " + e.getMessage(),
                        "pipe the prompt in, or use --prompt");
            }
            source = "standard input";
        } else {
            Path file = environment.resolve(promptFile);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw CctException.badInput("cannot read prompt file " + promptFile, "check that it exists and is readable");
            }
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CctException.badInput("cannot read prompt file " + promptFile + ": " + e.getMessage(),
                        "save it as UTF-8 text");
            }
            source = promptFile;
        }
        if (text.isBlank()) {
            throw CctException.badInput("the prompt is empty", "say what Claude should do with --prompt TEXT or --prompt-file FILE");
        }
        return new Prompt(text, source);
    }

    /** An output folder: an existing writable folder, or a path whose nearest existing ancestor is writable. */
    static Path writableDirectory(String flag, String value, Environment environment) {
        Path path = environment.resolve(value);
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw CctException.badInput(flag + " " + value + " is a file, not a folder", "choose a folder");
        }
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw CctException.badInput("cannot write to " + flag + " " + value, "choose a folder you can write to");
        }
        return path;
    }

    /** True for an existing folder with anything in it. */
    static boolean hasEntries(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (var entries = Files.list(folder)) {
            return entries.findAny().isPresent();
        } catch (java.io.IOException e) {
            throw CctException.badInput("cannot read " + folder, "choose a folder you can read and write");
        }
    }

    /** Each path resolved against the working folder; one that cannot be read is bad input naming the flag. */
    static List<Path> readablePaths(String flag, List<String> paths, Environment environment) {
        List<Path> result = new ArrayList<>();
        for (String text : paths) {
            Path path = environment.resolve(text);
            if (!Files.isReadable(path)) {
                throw CctException.badInput("cannot read " + flag + " " + text, "check that it exists and is readable");
            }
            result.add(path);
        }
        return result;
    }
}
