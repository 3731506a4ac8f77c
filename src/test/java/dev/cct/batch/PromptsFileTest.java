package dev.cct.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.cct.batch.PromptsFile.Entry;
import dev.cct.batch.PromptsFile.Invalid;
import dev.cct.core.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptsFileTest {
    private static final String ALLOWED = "allowed: prompt, output, agent, command, mcp, upload, timeout, env, model";

    @Test
    void aPlainLineIsThePromptStrippedWithNothingElseGiven() throws Invalid {
        Entry entry = PromptsFile.parse("  Fix the login bug \t").get(0);

        assertThat(entry).isEqualTo(new Entry(1, "Fix the login bug", null, List.of(), List.of(), List.of(), List.of(),
                null, Map.of(), null));
    }

    @Test
    void lineNumbersCountBlankLinesWhichAreSkipped() throws Invalid {
        List<Entry> entries = PromptsFile.parse("\nfirst\n   \n\t\nsecond\n\n{\"prompt\": \"third\"}\n\n");

        assertThat(entries).extracting(Entry::line, Entry::prompt)
                .containsExactly(tuple(2, "first"), tuple(5, "second"), tuple(7, "third"));
    }

    @Test
    void crlfLinesLoseTheirCarriageReturn() throws Invalid {
        List<Entry> entries = PromptsFile.parse("one\r\n\r\n{\"prompt\": \"two\"}\r\nthree\r\n");

        assertThat(entries).extracting(Entry::line, Entry::prompt)
                .containsExactly(tuple(1, "one"), tuple(3, "two"), tuple(4, "three"));
    }

    @Test
    void aLeadingByteOrderMarkIsNotPartOfTheFirstPrompt() throws Invalid {
        assertThat(PromptsFile.parse("\uFEFFhello\r\n").get(0).prompt()).isEqualTo("hello");
        assertThat(PromptsFile.parse("\uFEFF{\"prompt\": \"json\"}").get(0).prompt()).isEqualTo("json");
        assertThat(PromptsFile.parse("a\n\uFEFFb").get(1).prompt()).isEqualTo("\uFEFFb");
    }

    @Test
    void onlyALineStartingWithABraceIsJson() throws Invalid {
        List<Entry> entries = PromptsFile.parse("""
                Summarise [the] "README"
                   {"prompt": "indented json", "model": "opus"}
                ["not", "json"]
                say {"prompt": 1}
                """);

        assertThat(entries).extracting(Entry::prompt, Entry::model).containsExactly(
                tuple("Summarise [the] \"README\"", null), tuple("indented json", "opus"),
                tuple("[\"not\", \"json\"]", null), tuple("say {\"prompt\": 1}", null));
    }

    @Test
    void everyKeyOfAJsonLine() throws Invalid {
        Entry entry = PromptsFile.parse("{\"prompt\": \"Review the diff\", \"output\": \"review\", "
                + "\"agent\": \"a/b, c,,\", \"command\": [\"x/y\", \" z \"], \"mcp\": \"github\", "
                + "\"upload\": [\"src/a, b.txt\", \"docs\"], \"timeout\": \"15m\", "
                + "\"env\": {\"MODE\": \"fast\", \"DEBUG\": true, \"N\": 3, \"RATIO\": 1.50, \"_x9\": \"\"}, "
                + "\"model\": \"sonnet\"}").get(0);

        assertThat(entry).isEqualTo(new Entry(1, "Review the diff", "review", List.of("a/b", "c"), List.of("x/y", "z"),
                List.of("github"), List.of("src/a, b.txt", "docs"), "15m",
                Map.of("MODE", "fast", "DEBUG", "true", "N", "3", "RATIO", "1.5", "_x9", ""), "sonnet"));
        assertThat(entry.env().keySet()).containsExactly("MODE", "DEBUG", "N", "RATIO", "_x9");
    }

    @Test
    void namesSplitOnCommasEvenInsideAListButUploadsNever() throws Invalid {
        Entry entry = PromptsFile.parse("{\"prompt\": \"p\", \"agent\": [\"a,b\", \"\", \" \"], \"mcp\": \" , \", "
                + "\"upload\": \"one, two\"}").get(0);

        assertThat(entry.agents()).containsExactly("a", "b");
        assertThat(entry.mcps()).isEmpty();
        assertThat(entry.uploads()).containsExactly("one, two");
    }

    @Test
    void aNumericTimeoutIsSecondsKeptAsDecimalText() throws Invalid {
        assertThat(timeoutOf("90")).isEqualTo("90");
        assertThat(timeoutOf("90.0")).isEqualTo("90");
        assertThat(timeoutOf("1.50")).isEqualTo("1.5");
        assertThat(timeoutOf("1e3")).isEqualTo("1000");
        assertThat(timeoutOf("\"90s\"")).isEqualTo("90s");
    }

    @Test
    void aJsonPromptIsStrippedLikeAPlainOne() throws Invalid {
        assertThat(PromptsFile.parse("{\"prompt\": \"  Explain\\nthe build \\n\"}").get(0).prompt())
                .isEqualTo("Explain\nthe build");
    }

    @Test
    void nullOrBlankOptionalValuesAreNotGiven() throws Invalid {
        Entry entry = PromptsFile.parse("{\"prompt\": \"p\", \"output\": \"  \", \"agent\": null, \"upload\": [], "
                + "\"timeout\": null, \"env\": null, \"model\": \"\"}").get(0);

        assertThat(entry).isEqualTo(new Entry(1, "p", null, List.of(), List.of(), List.of(), List.of(), null, Map.of(),
                null));
    }

    @Test
    void entriesCannotBeChangedAfterParsing() throws Invalid {
        Entry entry = PromptsFile.parse("{\"prompt\": \"p\", \"agent\": \"a\", \"env\": {\"A\": \"1\"}}").get(0);

        assertThatThrownBy(() -> entry.agents().add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> entry.env().put("B", "2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void brokenJsonNamesTheLineAndJacksonsShortReason() {
        assertRefused("ok\n\n{\"prompt\": \"p\",}", 3,
                "line 3: not valid JSON (Unexpected character ('}' (code 125)): "
                        + "was expecting double-quote to start field name)");
        assertRefused("{\"prompt\": \"p\"", 1,
                "line 1: not valid JSON (Unexpected end-of-input: expected close marker for Object)");
        assertRefused("{\"prompt\": 01}", 1,
                "line 1: not valid JSON (Invalid numeric value: Leading zeroes not allowed)");
    }

    @Test
    void brokenJsonNeverShowsTheLineOrWhereJacksonReadIt() {
        Invalid invalid = refused("{\"env\": {\"TOKEN\": sk-ant-secret123}}");

        assertThat(invalid.getMessage()).startsWith("line 1: not valid JSON (Unrecognized token: was expecting")
                .doesNotContain("sk-ant", "secret", "[Source", "line: 1, column", "\n");
    }

    @Test
    void contentAfterTheObjectIsRefused() {
        assertRefused("{\"prompt\": \"p\"} {\"prompt\": \"q\"}", 1,
                "line 1: not valid JSON (content after the object)");
        assertRefused("{\"prompt\": \"p\"}]", 1,
                "line 1: not valid JSON (Unexpected close marker ']': no open Array to close)");
    }

    @Test
    void anUnknownKeyIsNamedWithTheAllowedOnes() {
        assertRefused("a\nb\nc\n{\"promt\": \"p\"}", 4, "line 4: unknown key \"promt\"; " + ALLOWED);
        assertRefused("{\"prompt\": \"p\", \"x\\ny\": 1}", 1, "line 1: unknown key \"x\\ny\"; " + ALLOWED);
    }

    @Test
    void aPromptIsRequiredAndNotBlank() {
        assertRefused("first\n{\"model\": \"opus\"}", 2, "line 2: no \"prompt\"");
        assertRefused("{\"prompt\": \"  \"}", 1, "line 1: no \"prompt\"");
        assertRefused("{\"prompt\": null}", 1, "line 1: no \"prompt\"");
        assertRefused("{}", 1, "line 1: no \"prompt\"");
        assertRefused("{\"prompt\": 7}", 1, "line 1: \"prompt\" must be a string");
    }

    @Test
    void aKeyGivenTwiceIsRefusedAtAnyDepth() {
        assertRefused("a\nb\nc\nd\ne\n{\"prompt\": \"p\", \"prompt\": \"q\"}", 6, "line 6: key \"prompt\" given twice");
        assertRefused("{\"prompt\": \"p\", \"env\": {\"A\": \"1\", \"A\": \"2\"}}", 1, "line 1: key \"A\" given twice");
    }

    @Test
    void aParsedFileDoesNotChangeHowTheSharedMapperReadsDuplicates() throws Exception {
        PromptsFile.parse("{\"prompt\": \"p\"}");

        assertThat(Json.mapper().readTree("{\"a\": 1, \"a\": 2}").get("a").asInt()).isEqualTo(2);
    }

    @Test
    void wrongTypesSayWhatTheKeyTakes() {
        assertRefused("a\nb\nc\nd\n{\"prompt\": \"p\", \"agent\": 3}", 5,
                "line 5: \"agent\" must be a string or a list of strings");
        assertRefused("{\"prompt\": \"p\", \"command\": [\"x\", 1]}", 1,
                "line 1: \"command\" must be a string or a list of strings");
        assertRefused("{\"prompt\": \"p\", \"mcp\": {\"a\": \"b\"}}", 1,
                "line 1: \"mcp\" must be a string or a list of strings");
        assertRefused("{\"prompt\": \"p\", \"upload\": [[\"a\"]]}", 1,
                "line 1: \"upload\" must be a string or a list of strings");
        assertRefused("{\"prompt\": \"p\", \"output\": [\"a\"]}", 1, "line 1: \"output\" must be a string");
        assertRefused("{\"prompt\": \"p\", \"model\": false}", 1, "line 1: \"model\" must be a string");
        assertRefused("{\"prompt\": \"p\", \"timeout\": true}", 1,
                "line 1: \"timeout\" must be a string such as \"15m\" or a number of seconds");
    }

    @Test
    void envIsAnObjectOfVariableNamesToScalars() {
        assertRefused("{\"prompt\": \"p\", \"env\": [\"A=1\"]}", 1, "line 1: \"env\" must be an object of NAME: value");
        assertRefused("{\"prompt\": \"p\", \"env\": \"A=1\"}", 1, "line 1: \"env\" must be an object of NAME: value");
        assertRefused("{\"prompt\": \"p\", \"env\": {\"1X\": \"v\"}}", 1,
                "line 1: \"env\" name \"1X\" is not a variable name");
        assertRefused("{\"prompt\": \"p\", \"env\": {\"A-B\": \"v\"}}", 1,
                "line 1: \"env\" name \"A-B\" is not a variable name");
        assertRefused("{\"prompt\": \"p\", \"env\": {\"A\": null}}", 1,
                "line 1: \"env\" value of \"A\" must be a string, number or boolean");
        assertRefused("{\"prompt\": \"p\", \"env\": {\"A\": {\"b\": 1}}}", 1,
                "line 1: \"env\" value of \"A\" must be a string, number or boolean");
    }

    @Test
    void aFileWithoutPromptsIsRefusedAsAWhole() {
        for (String text : List.of("", "\n\n", " \r\n\t\r\n", "\uFEFF", "\uFEFF\r\n")) {
            Invalid invalid = refused(text);
            assertThat(invalid.getMessage()).isEqualTo("the prompts file has no prompts");
            assertThat(invalid.line()).isZero();
        }
    }

    @Test
    void theLineOfAnInvalidIsReadFromItsMessage() {
        assertThat(new Invalid("line 12: no \"prompt\"").line()).isEqualTo(12);
        assertThat(new Invalid("the prompts file has no prompts").line()).isZero();
    }

    @Test
    void slugsAreShortLowerCaseAsciiWords() {
        assertThat(PromptsFile.slug("Fix the login bug!")).isEqualTo("fix-the-login-bug");
        assertThat(PromptsFile.slug("Écrire un résumé")).isEqualTo("ecrire-un-resume");
        assertThat(PromptsFile.slug("  --Hello,   World--  ")).isEqualTo("hello-world");
        assertThat(PromptsFile.slug("Straße über Köln")).isEqualTo("stra-e-uber-koln");
        assertThat(PromptsFile.slug("日本語")).isEqualTo("run");
        assertThat(PromptsFile.slug("!!!")).isEqualTo("run");
        assertThat(PromptsFile.slug("")).isEqualTo("run");
        assertThat(PromptsFile.slug("v2 API 日本語 fix")).isEqualTo("v2-api-fix");
    }

    @Test
    void aLongSlugIsCutAtAWordWhenThatKeepsAtLeastTwentyCharacters() {
        String sentence = "Please read every file in the repository and explain how the build, the tests and the "
                + "release fit in";
        assertThat(sentence).hasSize(100);
        assertThat(PromptsFile.slug(sentence)).isEqualTo("please-read-every-file-in-the-repository");

        assertThat(PromptsFile.slug("a".repeat(25) + " " + "b".repeat(30))).isEqualTo("a".repeat(25));
        assertThat(PromptsFile.slug("a".repeat(10) + " " + "b".repeat(50)))
                .isEqualTo("a".repeat(10) + "-" + "b".repeat(29));
        assertThat(PromptsFile.slug("x".repeat(100))).isEqualTo("x".repeat(40));
        assertThat(PromptsFile.slug("a".repeat(39) + " b")).isEqualTo("a".repeat(39));
        assertThat(PromptsFile.slug("a".repeat(40) + " b")).isEqualTo("a".repeat(40));
        assertThat(PromptsFile.slug("a".repeat(40))).isEqualTo("a".repeat(40));
    }

    private static String timeoutOf(String json) throws Invalid {
        return PromptsFile.parse("{\"prompt\": \"p\", \"timeout\": " + json + "}").get(0).timeout();
    }

    private static void assertRefused(String text, int line, String message) {
        Invalid invalid = refused(text);
        assertThat(invalid.getMessage()).isEqualTo(message);
        assertThat(invalid.line()).isEqualTo(line);
    }

    private static Invalid refused(String text) {
        try {
            PromptsFile.parse(text);
        } catch (Invalid invalid) {
            return invalid;
        }
        throw new AssertionError("accepted: " + text);
    }
}
