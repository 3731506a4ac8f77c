package dev.cct.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.cct.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second reading Claude Code gives front matter that is not strict YAML: upstream components write values such
 * as {@code argument-hint: [file] | --all} or {@code description: Use when: ...} plainly, and Claude Code reads them
 * after quoting. The rules are Claude Code's, so that cct accepts what it would load and refuses what it would ignore.
 */
final class FrontMatterRepair {
    /** What JavaScript's {@code \s} matches: Claude Code's patterns use it, and Java's own is narrower. */
    private static final String SPACE = "\\s\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
    /** A top-level line {@code key: value}; the value ends, like JavaScript's {@code .}, before a line separator. */
    private static final Pattern KEY_LINE =
            Pattern.compile("([a-zA-Z_-]+):[" + SPACE + "]+([^" + SPACE + "][^\\r\\u2028\\u2029]*)");
    /** Characters that can make a plain value mean something else in YAML, or end it. */
    private static final Pattern SPECIAL = Pattern.compile("[{}\\[\\]*&#!|>%@`]|: ");
    private static final Pattern LEADING_TABS = Pattern.compile("^\\t+", Pattern.MULTILINE);
    /** Reads a whole text: "[a] [b]" is not the list [a] followed by something ignored. */
    private static final ObjectReader YAML = Json.yaml().readerFor(Object.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * @param text       the front matter as Claude Code reads it the second time
     * @param quotedKeys the keys whose values were quoted, for the warning
     */
    record Result(String text, List<String> quotedKeys) {
    }

    private FrontMatterRepair() {
    }

    static Object parse(String yaml) throws JsonProcessingException {
        return YAML.readValue(yaml);
    }

    static Result repair(String yaml) {
        List<String> quoted = new ArrayList<>();
        StringBuilder out = new StringBuilder(yaml.length() + 16);
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            Matcher m = KEY_LINE.matcher(lines[i]);
            if (m.matches() && needsQuotes(m.group(2))) {
                quoted.add(m.group(1));
                String escaped = m.group(2).replace("\\", "\\\\").replace("\"", "\\\"");
                out.append(m.group(1)).append(": \"").append(escaped).append('"');
            } else {
                out.append(lines[i]);
            }
        }
        // Tabs cannot indent YAML; Claude Code reads each leading one as two spaces.
        String text = LEADING_TABS.matcher(out).replaceAll(tabs -> "  ".repeat(tabs.group().length()));
        return new Result(text, List.copyOf(quoted));
    }

    private static boolean needsQuotes(String value) {
        if (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'")) {
            return false;
        }
        if (value.startsWith("[") && value.endsWith("]")) {
            try {
                // A flow list such as "tools: [Read, Write]" stays a list.
                if (parse(value) instanceof List) {
                    return false;
                }
            } catch (JsonProcessingException notAList) {
                // quoted below, as Claude Code does
            }
        }
        // A block indicator ("|", ">-") is quoted too: Claude Code's rule has no exception for it.
        return SPECIAL.matcher(value).find();
    }
}
