package dev.cct.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.ui.BatchRow.State;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTableTest {
    private static final String ESC = "\u001b";
    private final Ui plain = ui(false);
    private final Ui colour = ui(true);

    @Test
    void aWideFrameShowsEveryColumn() {
        List<String> lines = BatchTable.frame(List.of(
                running(1, "fix-login-bug", "Write hello.py"),
                row(2, "add-tests", State.QUEUED, 0, 0, 0, true, null, null, null, null),
                row(3, "docs", State.DONE, 65, 5, 0.0123, true, "Bash ls", 0, "success", null)), 100, plain);

        assertThat(lines).containsExactly(
                "#  Run            State            Time  Turns        Cost  Activity",
                "1  fix-login-bug  running           42s      3     ~$0.004  Write hello.py",
                "2  add-tests      queued",
                "3  docs           success          1m5s      5     $0.0123  Bash ls");
    }

    @Test
    void everyStateHasItsWord() {
        List<String> lines = BatchTable.frame(List.of(
                row(1, "a", State.QUEUED, 0, 0, 0, true, null, null, null, null),
                row(2, "b", State.CREATING, 1, 0, 0, true, null, null, null, null),
                row(3, "c", State.UPLOADING, 2, 0, 0, true, null, null, null, null),
                row(4, "d", State.RUNNING, 3, 1, 0.001, false, "Read a.txt", null, null, null),
                row(5, "e", State.BRINGING_BACK, 4, 2, 0.002, false, null, null, null, null),
                row(6, "f", State.DONE, 5, 2, 0.002, true, null, 0, "success", null),
                row(7, "g", State.DONE, 5, 2, 0.002, true, null, 1, "error", "tests failed"),
                row(8, "h", State.DONE, 5, 2, 0.002, true, null, 124, "timeout", null),
                row(9, "i", State.SKIPPED, 0, 0, 0, true, null, null, "skipped", "budget reached")), 100, plain);

        int at = lines.get(0).indexOf("State");
        assertThat(lines.subList(1, lines.size())).extracting(line -> line.substring(at).split("  ")[0]).containsExactly(
                "queued", "creating", "uploading", "running", "bringing back", "success", "error", "timeout", "skipped");
    }

    @Test
    void anEstimatedCostIsMarked() {
        List<String> lines = BatchTable.frame(List.of(
                row(1, "a", State.RUNNING, 3, 1, 0.0123, false, null, null, null, null),
                row(2, "b", State.DONE, 3, 1, 0.0123, true, null, 0, "success", null)), 80, plain);

        assertThat(lines.get(1)).contains("~$0.0123");
        assertThat(lines.get(2)).contains(" $0.0123").doesNotContain("~");
    }

    @Test
    void aFailureShowsItsReasonInsteadOfTheLastTool() {
        List<String> lines = BatchTable.frame(List.of(
                row(1, "a", State.DONE, 3, 1, 0.01, true, "Bash make", 1, "error", "make failed"),
                row(2, "b", State.SKIPPED, 0, 0, 0, true, null, null, "skipped", "over budget"),
                row(3, "c", State.DONE, 3, 1, 0.01, true, "Bash make", 0, "success", null)), 80, plain);

        assertThat(lines.get(1)).endsWith("make failed");
        assertThat(lines.get(2)).endsWith("over budget");
        assertThat(lines.get(3)).endsWith("Bash make");
    }

    @Test
    void theStateIsColouredByOutcome() {
        List<String> lines = BatchTable.frame(List.of(
                row(1, "a", State.DONE, 3, 1, 0.01, true, null, 0, "success", null),
                row(2, "b", State.DONE, 3, 1, 0.01, true, null, 1, "error", null),
                row(3, "c", State.SKIPPED, 0, 0, 0, true, null, null, "skipped", null)), 80, colour);

        assertThat(lines.get(1)).contains(ESC + "[32msuccess" + ESC + "[0m");
        assertThat(lines.get(2)).contains(ESC + "[31merror" + ESC + "[0m");
        assertThat(lines.get(3)).contains(ESC + "[33mskipped" + ESC + "[0m");
    }

    @Test
    void noLineIsWiderThanTheWidthWithOrWithoutColour() {
        List<BatchRow> rows = List.of(
                running(1, "a-rather-long-label-for-a-run-that-explains-itself", "Edit src/main/java/dev/cct/very/deep/path/File.java"),
                row(2, "short", State.DONE, 3725, 120, 12.345678, true, null, 1, "error",
                        "the sandbox could not be created because docker is not running"),
                row(10, "q", State.QUEUED, 0, 0, 0, true, null, null, null, null),
                row(11, "bring", State.BRINGING_BACK, 600, 40, 1.5, false, "Bash ./gradlew test --info", null, null, null));
        for (Ui ui : List.of(plain, colour)) {
            for (int width = 40; width <= 160; width++) {
                for (String line : BatchTable.frame(rows, width, ui)) {
                    assertThat(visible(line).length()).as("width %d: %s", width, line).isLessThanOrEqualTo(width);
                }
            }
        }
    }

    @Test
    void narrowerThanTheMinimumIsDrawnAtTheMinimum() {
        List<BatchRow> rows = List.of(running(1, "a-rather-long-label-for-a-run", "Write hello.py"));

        assertThat(BatchTable.frame(rows, 10, plain)).isEqualTo(BatchTable.frame(rows, 40, plain));
        assertThat(BatchTable.frame(rows, 40, plain)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(40));
    }

    @Test
    void colourDoesNotChangeTheLayout() {
        List<BatchRow> rows = List.of(running(1, "a-rather-long-label-for-a-run", "Write hello.py"),
                row(2, "b", State.DONE, 3, 1, 0.01, true, null, 1, "error", "it broke"));
        for (int width : List.of(40, 55, 70, 120)) {
            assertThat(BatchTable.frame(rows, width, colour)).extracting(BatchTableTest::visible)
                    .isEqualTo(BatchTable.frame(rows, width, plain));
        }
    }

    @Test
    void aLongLabelAndActivityAreCutWithAnEllipsis() {
        List<String> lines = BatchTable.frame(List.of(
                running(1, "a-rather-long-label-for-a-run", "Edit src/main/java/dev/cct/ui/BatchTable.java")), 70, plain);

        assertThat(lines.get(1)).isEqualTo("1  a-rather-…  running           42s      3     ~$0.004  Edit src/mai…");
        assertThat(lines.get(1)).hasSize(70);
        assertThat(BatchTable.frame(List.of(running(1, "a-rather-long-label-for-a-run", "Write a")), 120, plain).get(1))
                .startsWith("1  a-rather-long-label-for-a-run  running");
    }

    @Test
    void aNarrowFrameDropsTurnsThenTheActivityThenCost() {
        List<BatchRow> rows = List.of(running(1, "fix-login-bug", "Write hello.py"));

        assertThat(BatchTable.frame(rows, 69, plain).get(0)).isEqualTo("#  Run         State            Time  Turns        Cost  Activity");
        assertThat(BatchTable.frame(rows, 68, plain).get(0)).isEqualTo("#  Run            State            Time        Cost  Activity");
        assertThat(BatchTable.frame(rows, 61, plain).get(0)).isEqualTo("#  Run            State            Time        Cost");
        assertThat(BatchTable.frame(rows, 47, plain).get(0)).isEqualTo("#  Run            State            Time");
        assertThat(BatchTable.frame(rows, 40, plain)).containsExactly(
                "#  Run            State            Time",
                "1  fix-login-bug  running           42s");
    }

    @Test
    void controlCharactersCannotBreakALine() {
        List<String> lines = BatchTable.frame(List.of(running(1, "two\nlines", "Bash echo " + ESC + "[2J")), 80, plain);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("1  two lines").doesNotContain(ESC);
    }

    @Test
    void theSummaryCountsRunsByOutcome() {
        List<BatchRow> rows = List.of(
                done(1, "success", 0), done(2, "success", 0), done(3, "error", 1), done(4, "failed", 1),
                done(5, "timeout", 124), done(6, "interrupted", 130), done(7, "budget", 3),
                row(8, "h", State.SKIPPED, 0, 0, 0, true, null, null, "skipped", "earlier run failed"));

        List<String> lines = BatchTable.summary(rows, Duration.ofSeconds(72), 0.0421, plain);

        assertThat(lines).hasSize(10);
        assertThat(lines.get(9)).isEqualTo("8 runs: 2 succeeded, 2 failed, 1 timed out, 1 interrupted, 1 stopped by budget, "
                + "1 skipped · $0.0421 · 1m12s");
    }

    @Test
    void theSummaryShowsExitCodesAndReasons() {
        List<String> lines = BatchTable.summary(List.of(
                row(1, "fix-login-bug", State.DONE, 42, 5, 0.0123, true, "Bash make", 0, "success", null),
                row(2, "docs", State.DONE, 65, 2, 0.02, true, "Bash make", 1, "error", "make failed"),
                row(3, "later", State.SKIPPED, 0, 0, 0, true, null, null, "skipped", "over budget")),
                Duration.ofMillis(65_400), 0.0323, plain);

        assertThat(lines).containsExactly(
                "#  Run            State    Time  Turns     Cost  Exit",
                "1  fix-login-bug  success   42s      5  $0.0123     0",
                "2  docs           error    1m5s      2    $0.02     1  make failed",
                "3  later          skipped                           -  over budget",
                "3 runs: 1 succeeded, 1 failed, 1 skipped · $0.0323 · 1m5s");
    }

    @Test
    void theSummaryMarksAnEstimatedTotalAndUnfinishedRuns() {
        List<String> lines = BatchTable.summary(List.of(running(1, "a", null)), Duration.ofSeconds(3), 0.004, colour);

        assertThat(visible(lines.get(2))).isEqualTo("1 run: 1 unfinished · ~$0.004 · 3s");
        assertThat(lines.get(2)).contains(ESC + "[2m1 unfinished");
    }

    @Test
    void eventsAreOnePlainLinePerStepWorthLogging() {
        assertThat(BatchTable.event(row(3, "fix-login-bug", State.CREATING, 0, 0, 0, true, null, null, null, null)))
                .isEqualTo("[3] fix-login-bug: started");
        assertThat(BatchTable.event(row(3, "fix-login-bug", State.DONE, 42, 5, 0.0123, true, null, 0, "success", null)))
                .isEqualTo("[3] fix-login-bug: finished with exit 0 (success) in 42s, 5 turns, $0.0123");
        assertThat(BatchTable.event(row(3, "fix-login-bug", State.DONE, 42, 1, 0.0123, false, null, 1, "error", "make failed")))
                .isEqualTo("[3] fix-login-bug: finished with exit 1 (error) in 42s, 1 turn, ~$0.0123: make failed");
        assertThat(BatchTable.event(row(3, "fix-login-bug", State.SKIPPED, 0, 0, 0, true, null, null, "skipped", "over budget")))
                .isEqualTo("[3] fix-login-bug: skipped: over budget");
        for (State state : List.of(State.QUEUED, State.UPLOADING, State.RUNNING, State.BRINGING_BACK)) {
            assertThat(BatchTable.event(row(3, "x", state, 5, 1, 0.1, false, "Read a", null, null, null))).isNull();
        }
    }

    @Test
    void eventsCarryNoEscapes() {
        String line = BatchTable.event(row(1, "x" + ESC + "[31m", State.DONE, 1, 1, 0, true, null, 2, "error", "bad\n" + ESC + "[2J"));

        assertThat(line).doesNotContain(ESC).doesNotContain("\n");
    }

    @Test
    void theFirstFrameIsPrintedAsIs() {
        StringWriter out = new StringWriter();
        BatchTable.Live live = new BatchTable.Live(new PrintWriter(out), plain, 80);

        live.draw(List.of(running(1, "a", "Write x")));

        assertThat(out.toString()).isEqualTo(lines(BatchTable.frame(List.of(running(1, "a", "Write x")), 79, plain)));
    }

    @Test
    void aGrowingFrameRewritesTheOldLinesAndAddsTheNew() {
        StringWriter out = new StringWriter();
        BatchTable.Live live = new BatchTable.Live(new PrintWriter(out), plain, 80);
        live.draw(List.of(running(1, "a", null)));
        out.getBuffer().setLength(0);

        List<BatchRow> rows = List.of(running(1, "a", null), running(2, "b", null));
        live.draw(rows);

        assertThat(out.toString()).isEqualTo(ESC + "[2A\r" + lines(BatchTable.frame(rows, 79, plain)));
        assertThat(out.toString()).doesNotContain(ESC + "[J");
    }

    @Test
    void aShrinkingFrameClearsTheLinesLeftBelow() {
        StringWriter out = new StringWriter();
        BatchTable.Live live = new BatchTable.Live(new PrintWriter(out), plain, 80);
        live.draw(List.of(running(1, "a", null), running(2, "b", null)));
        out.getBuffer().setLength(0);

        live.draw(List.of(running(1, "a", null)));

        assertThat(out.toString()).isEqualTo(ESC + "[3A\r"
                + "#  Run  State            Time  Turns        Cost  Activity" + ESC + "[K\n"
                + "1  a    running           42s      3     ~$0.004" + ESC + "[K\n"
                + ESC + "[J");
    }

    @Test
    void clearErasesTheFrameOnceAndTheNextFrameStartsAfresh() {
        StringWriter out = new StringWriter();
        BatchTable.Live live = new BatchTable.Live(new PrintWriter(out), plain, 80);
        live.draw(List.of(running(1, "a", null)));
        out.getBuffer().setLength(0);

        live.clear();
        assertThat(out.toString()).isEqualTo(ESC + "[2A\r" + ESC + "[J");

        out.getBuffer().setLength(0);
        live.clear();
        assertThat(out.toString()).isEmpty();

        live.draw(List.of(running(1, "a", null)));
        assertThat(out.toString()).startsWith("#  Run").doesNotContain(ESC + "[2A");
    }

    @Test
    void liveFramesLeaveTheLastColumnEmpty() {
        StringWriter out = new StringWriter();
        List<BatchRow> rows = List.of(running(1, "a-rather-long-label-for-a-run", "Edit src/main/java/dev/cct/ui/BatchTable.java"));
        new BatchTable.Live(new PrintWriter(out), colour, 70).draw(rows);

        for (String line : visible(out.toString()).split("\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(69);
        }
    }

    private static String lines(List<String> frame) {
        StringBuilder text = new StringBuilder();
        frame.forEach(line -> text.append(line).append(ESC).append("[K\n"));
        return text.toString();
    }

    /** What the terminal shows: every CSI sequence takes no room. */
    private static String visible(String line) {
        return line.replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
    }

    private static BatchRow running(int index, String label, String lastTool) {
        return row(index, label, State.RUNNING, 42, 3, 0.004, false, lastTool, null, null, null);
    }

    private static BatchRow done(int index, String status, int exit) {
        return row(index, "run-" + index, State.DONE, 10, 1, 0.005, true, null, exit, status, status + " happened");
    }

    private static BatchRow row(int index, String label, State state, long seconds, int turns, double cost, boolean costFinal,
                                String lastTool, Integer exit, String status, String reason) {
        return new BatchRow(index, label, state, Duration.ofSeconds(seconds), turns, cost, costFinal, lastTool, exit, status, reason);
    }

    private static Ui ui(boolean color) {
        return new Ui(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), color, true, false, false);
    }
}
