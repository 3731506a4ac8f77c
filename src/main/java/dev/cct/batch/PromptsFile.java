package dev.cct.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.cct.core.Json;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file behind {@code cct batch --prompts}: one run per line, either a bare prompt (so a list of questions works as
 * it is) or a JSON object (so a script can set a run's options). Every line is checked before any run starts, because
 * finding a typo on line 40 after 39 paid runs is the failure this class exists to prevent.
 */
public final class PromptsFile {
    private static final List<String> KEYS =
            List.of("prompt", "output", "agent", "command", "mcp", "upload", "timeout", "env", "model");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);
    /** A bare word in a broken line may be a pasted token; the reason keeps Jackson's words but not the word. */
    private static final Pattern TOKEN = Pattern.compile("^Unrecognized token '.*': ");
    /** Where Jackson was in a one-line text says nothing the line number does not, and its source is never shown. */
    private static final Pattern LOCATION = Pattern.compile("\\s*\\((?:[a-z ]+ )?\\[Source: [^\\]]*\\]\\)");
    private static final int SLUG_MAX = 40;
    private static final int SLUG_MIN_AT_DASH = 20;
    /** A reader of its own, so that refusing a repeated key does not change how the rest of the program reads JSON. */
    private static final ObjectReader READER = Json.mapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private PromptsFile() {
    }

    /** One run's line. Lists are never null (empty = not given); strings null = not given; env never null. */
    public record Entry(int line, String prompt, String output, List<String> agents, List<String> commands,
                        List<String> mcps, List<String> uploads, String timeout, Map<String, String> env,
                        String model) {
        public Entry {
            agents = List.copyOf(agents);
            commands = List.copyOf(commands);
            mcps = List.copyOf(mcps);
            uploads = List.copyOf(uploads);
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }
    }

    /** The file could not be taken; getMessage() is one line that starts with "line N: " when a line is at fault. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private static final Pattern AT_LINE = Pattern.compile("^line (\\d+): ");
        private final int line;

        /** The line is read back from the message so that the number shown and the number returned cannot differ. */
        public Invalid(String message) {
            super(message);
            Matcher at = AT_LINE.matcher(message);
            this.line = at.find() ? Integer.parseInt(at.group(1)) : 0;
        }

        /** The 1-based line at fault, or 0 when the file as a whole is. */
        public int line() {
            return line;
        }
    }

    /** Parses the whole file's text (UTF-8 already decoded). */
    public static List<Entry> parse(String text) throws Invalid {
        String[] lines = text.split("\n", -1);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                continue;
            }
            entries.add(stripped.startsWith("{") ? object(i + 1, stripped) : new Entry(i + 1, stripped, null,
                    List.of(), List.of(), List.of(), List.of(), null, Map.of(), null));
        }
        if (entries.isEmpty()) {
            throw new Invalid("the prompts file has no prompts");
        }
        return entries;
    }

    /**
     * The folder-name part for a run: readable enough to find a run by its prompt in a listing, short enough for any
     * file system, and never empty, since a prompt in a script with no ASCII form still needs a folder.
     */
    public static String slug(String prompt) {
        String plain = Normalizer.normalize(prompt, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        String slug = plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > SLUG_MAX) {
            int dash = slug.lastIndexOf('-', SLUG_MAX);
            slug = dash >= SLUG_MIN_AT_DASH ? slug.substring(0, dash) : slug.substring(0, SLUG_MAX);
        }
        return slug.isEmpty() ? "run" : slug;
    }

    private static Entry object(int line, String text) throws Invalid {
        JsonNode node = read(line, text);
        for (String key : (Iterable<String>) node::fieldNames) {
            if (!KEYS.contains(key)) {
                throw at(line, "unknown key " + quote(key) + "; allowed: " + String.join(", ", KEYS));
            }
        }
        String prompt = string(line, node, "prompt");
        if (prompt == null) {
            throw at(line, "no \"prompt\"");
        }
        return new Entry(line, prompt, string(line, node, "output"), list(line, node, "agent", true),
                list(line, node, "command", true), list(line, node, "mcp", true), list(line, node, "upload", false),
                timeout(line, node), env(line, node), string(line, node, "model"));
    }

    private static JsonNode read(int line, String text) throws Invalid {
        try (JsonParser parser = READER.createParser(text)) {
            JsonNode node = READER.readTree(parser);
            if (parser.nextToken() != null) {
                throw at(line, "not valid JSON (content after the object)");
            }
            return node;
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            Matcher duplicate = DUPLICATE.matcher(reason);
            if (duplicate.matches()) {
                throw at(line, "key " + quote(duplicate.group(1)) + " given twice");
            }
            String first = LOCATION.matcher(reason.lines().findFirst().orElse("")).replaceAll("").strip();
            throw at(line, "not valid JSON (" + TOKEN.matcher(first).replaceFirst("Unrecognized token: ") + ")");
        }
    }

    /** Blank counts as not given, as an empty piece does in a list: a generated file may well write "" for none. */
    private static String string(int line, JsonNode node, String key) throws Invalid {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw at(line, quote(key) + " must be a string");
        }
        String text = value.textValue().strip();
        return text.isEmpty() ? null : text;
    }

    /** Names may come as "a/b,c", as typed on the command line, or as a list from a script; paths never split. */
    private static List<String> list(int line, JsonNode node, String key, boolean commas) throws Invalid {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> pieces = new ArrayList<>();
        for (JsonNode item : value.isArray() ? value : List.of(value)) {
            if (!item.isTextual()) {
                throw at(line, quote(key) + " must be a string or a list of strings");
            }
            for (String piece : commas ? item.textValue().split(",") : new String[] {item.textValue()}) {
                if (!piece.isBlank()) {
                    pieces.add(piece.strip());
                }
            }
        }
        return pieces;
    }

    /** A bare number is seconds; the text is kept so that one duration parser reads the flag and the file alike. */
    private static String timeout(int line, JsonNode node) throws Invalid {
        JsonNode value = node.get("timeout");
        if (value != null && value.isNumber()) {
            return number(value);
        }
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw at(line, "\"timeout\" must be a string such as \"15m\" or a number of seconds");
        }
        return string(line, node, "timeout");
    }

    /** Scalars are taken as their text because a variable is text anyway, and {"DEBUG": true} is what people write. */
    private static Map<String, String> env(int line, JsonNode node) throws Invalid {
        JsonNode value = node.get("env");
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw at(line, "\"env\" must be an object of NAME: value");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> variable : value.properties()) {
            String name = variable.getKey();
            JsonNode text = variable.getValue();
            if (!VARIABLE.matcher(name).matches()) {
                throw at(line, "\"env\" name " + quote(name) + " is not a variable name");
            }
            if (!text.isTextual() && !text.isNumber() && !text.isBoolean()) {
                throw at(line, "\"env\" value of " + quote(name) + " must be a string, number or boolean");
            }
            env.put(name, text.isNumber() ? number(text) : text.asText());
        }
        return env;
    }

    /** 90 reads "90" and 1.50 reads "1.5", not the "90.0" or "1.50" a JSON writer may happen to produce. */
    private static String number(JsonNode value) {
        return value.decimalValue().stripTrailingZeros().toPlainString();
    }

    /** JSON quoting keeps a key with a newline or quote in it from breaking the one-line message. */
    private static String quote(String key) {
        return Json.compact(key);
    }

    private static Invalid at(int line, String reason) {
        return new Invalid("line " + line + ": " + reason);
    }
}
