package dev.cct.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;

/** Shared Jackson mappers, created on first use so that --help and --version never pay for them. */
public final class Json {
    private Json() {
    }

    private static final class Holder {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        static final YAMLMapper YAML = new YAMLMapper();
        static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    }

    public static ObjectMapper mapper() {
        return Holder.JSON;
    }

    public static YAMLMapper yaml() {
        return Holder.YAML;
    }

    /** Two-space indented JSON with a final newline: the form Claude Code's own files use. */
    public static byte[] pretty(JsonNode node) {
        try {
            String text = Holder.JSON.writer(Holder.PRETTY).writeValueAsString(node);
            return (text + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line of JSON, for NDJSON and --output-format json. */
    public static String compact(Object value) {
        try {
            return Holder.JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
