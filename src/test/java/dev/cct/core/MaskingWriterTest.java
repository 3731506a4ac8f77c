package dev.cct.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MaskingWriterTest {
    private static final String KEY = "sk-ant-masking-secret-42";
    private final StringWriter target = new StringWriter();
    private final PrintWriter writer = new PrintWriter(new MaskingWriter(target, text -> text.replace(KEY, "****")), true);

    @Test
    void aSecretWrittenInPiecesIsMaskedWhole() {
        writer.print("{\"text\":\"key is sk-ant-mas");
        writer.print("king-secret-42\"}");
        writer.println();
        assertThat(target.toString()).isEqualTo("{\"text\":\"key is ****\"}" + System.lineSeparator());
    }

    @Test
    void completeLinesPassAtOnceAndAFlushPassesWhatIsPending() {
        writer.print("one " + KEY + "\ntwo");
        assertThat(target.toString()).isEqualTo("one ****\n");
        writer.flush();
        assertThat(target.toString()).isEqualTo("one ****\ntwo");
    }
}
