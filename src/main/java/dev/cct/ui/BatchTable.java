package dev.cct.ui;

import dev.cct.core.Format;
import dev.cct.ui.BatchRow.State;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a person sees of a batch: one line per run, redrawn in place while the runs go, then a summary that stays.
 * Without a terminal the same progress is told as one plain {@link #event line} per step that matters, so that logs
 * and CI read top to bottom.
 */
public final class BatchTable {
    /** Narrower than this, no column would be readable; the table is drawn as if the terminal were this wide. */
    static final int MIN_WIDTH = 40;
    private static final String GAP = "  ";
    private static final String ELLIPSIS = "…";
    /** Below this a label no longer tells runs apart, so optional columns go first. */
    private static final int LABEL_MIN = 10;
    /** Below this a tool call or reason is noise, so the column goes rather than showing "Wri…". */
    private static final int ACTIVITY_MIN = 12;
    private static final String SUCCESS = "success";

    private BatchTable() {
    }

    /**
     * The table while the batch runs. No line is wider than {@code width} visible characters, so a redraw never wraps
     * and the cursor arithmetic of {@link Live} stays right. When room is short the label and the last column are
     * cut with "…", and whole columns go, least useful first: turns, then what Claude does, then cost, then time.
     * The label's width depends on the labels and the width only, never on what the runs are doing, so the columns
     * hold still from one frame to the next.
     */
    public static List<String> frame(List<BatchRow> rows, int width, Ui ui) {
        int room = Math.max(MIN_WIDTH, width);
        Column index = indexColumn();
        Column label = labelColumn();
        Column state = stateColumn(ui);
        Column time = timeColumn();
        Column turns = turnsColumn();
        Column cost = costColumn();
        Column activity = new Column("Activity", false, 0, BatchTable::activity,
                (row, text) -> showsReason(row) ? text : ui.dim(text));

        int labelWanted = label.steady(rows);
        int labelMin = Math.min(LABEL_MIN, labelWanted);
        int used = index.steady(rows) + GAP.length() + labelMin + GAP.length() + state.steady(rows);
        List<Column> optional = new ArrayList<>();
        for (Column column : List.of(time, cost, activity, turns)) {
            int need = GAP.length() + (column == activity ? ACTIVITY_MIN : column.steady(rows));
            if (used + need > room) {
                break;
            }
            optional.add(column);
            used += need;
        }
        int spare = room - used;
        int labelExtra = Math.min(labelWanted - labelMin, optional.contains(activity) ? spare / 2 : spare);

        Map<Column, Integer> widths = new LinkedHashMap<>();
        widths.put(index, index.steady(rows));
        widths.put(label, labelMin + labelExtra);
        widths.put(state, state.steady(rows));
        for (Column column : List.of(time, turns, cost)) {
            if (optional.contains(column)) {
                widths.put(column, column.steady(rows));
            }
        }
        if (optional.contains(activity)) {
            widths.put(activity, ACTIVITY_MIN + spare - labelExtra);
        }
        return render(widths, rows, ui);
    }

    /**
     * The table that stays after the batch: no width limit, since it is printed once and may wrap; the exit code in
     * place of the last tool call, and the reason next to it because the live frame that showed it is gone.
     */
    public static List<String> summary(List<BatchRow> rows, Duration took, double totalCostUsd, Ui ui) {
        Column exit = Column.plain("Exit", true, 0, row -> row.exitCode() == null ? "-" : row.exitCode().toString());
        Column reason = Column.plain("", false, 0, row -> showsReason(row) ? oneLine(row.reason()) : "");
        List<Column> columns = List.of(indexColumn(), labelColumn(), stateColumn(ui), timeColumn(), turnsColumn(),
                costColumn(), exit, reason);
        Map<Column, Integer> widths = new LinkedHashMap<>();
        columns.forEach(column -> widths.put(column, column.natural(rows)));
        List<String> lines = new ArrayList<>(render(widths, rows, ui));
        lines.add(totals(rows, took, totalCostUsd, ui));
        return lines;
    }

    /**
     * One plain line for a step worth logging, or null for steps that are not (queued, uploading...): the start, the
     * end with what it cost, a skip with why. No colour or escapes, since it goes where no terminal reads it.
     */
    public static String event(BatchRow row) {
        String run = "[" + row.index() + "] " + oneLine(row.label()) + ": ";
        return switch (row.state()) {
            case CREATING -> run + "started";
            case DONE -> run + "finished" + (row.exitCode() == null ? "" : " with exit " + row.exitCode())
                    + (row.status() == null ? "" : " (" + oneLine(row.status()) + ")")
                    + " in " + seconds(row.elapsed()) + ", " + row.turns() + (row.turns() == 1 ? " turn, " : " turns, ")
                    + cost(row) + (showsReason(row) ? ": " + oneLine(row.reason()) : "");
            case SKIPPED -> run + "skipped" + (row.reason() == null ? "" : ": " + oneLine(row.reason()));
            default -> null;
        };
    }

    private static String totals(List<BatchRow> rows, Duration took, double totalCostUsd, Ui ui) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String outcome : List.of("succeeded", "failed", "timed out", "interrupted", "stopped by budget", "skipped", "unfinished")) {
            counts.put(outcome, 0);
        }
        rows.forEach(row -> counts.merge(outcome(row), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((outcome, count) -> {
            if (count > 0) {
                String text = count + " " + outcome;
                parts.add(switch (outcome) {
                    case "succeeded" -> ui.green(text);
                    case "skipped" -> ui.yellow(text);
                    case "unfinished" -> ui.dim(text);
                    default -> ui.red(text);
                });
            }
        });
        boolean estimate = rows.stream().anyMatch(row -> !row.costFinal());
        return rows.size() + (rows.size() == 1 ? " run" : " runs") + (parts.isEmpty() ? "" : ": " + String.join(", ", parts))
                + " · " + (estimate ? "~$" : "$") + Format.money(totalCostUsd) + " · " + seconds(took);
    }

    /** A run that has not ended is unfinished; a status cct does not know is not a success, so it counts as failed. */
    private static String outcome(BatchRow row) {
        if (row.state() == State.SKIPPED) {
            return "skipped";
        }
        if (row.state() != State.DONE) {
            return "unfinished";
        }
        return switch (row.status() == null ? "" : row.status()) {
            case SUCCESS -> "succeeded";
            case "timeout" -> "timed out";
            case "interrupted" -> "interrupted";
            case "budget" -> "stopped by budget";
            case "skipped" -> "skipped";
            default -> "failed";
        };
    }

    private static Column indexColumn() {
        return Column.plain("#", true, 0, row -> Integer.toString(row.index()));
    }

    private static Column labelColumn() {
        return Column.plain("Run", false, 0, row -> oneLine(row.label()));
    }

    /** As wide as the longest word a run can reach, so that the columns right of it hold still between frames. */
    private static Column stateColumn(Ui ui) {
        return new Column("State", false, "bringing back".length(), BatchTable::stateWord, (row, text) -> switch (row.state()) {
            case QUEUED -> ui.dim(text);
            case RUNNING -> ui.cyan(text);
            case SKIPPED -> ui.yellow(text);
            case DONE -> SUCCESS.equals(row.status()) ? ui.green(text) : "skipped".equals(row.status()) ? ui.yellow(text) : ui.red(text);
            default -> text;
        });
    }

    private static Column timeColumn() {
        return Column.plain("Time", true, "59m59s".length(), row -> started(row) ? seconds(row.elapsed()) : "");
    }

    private static Column turnsColumn() {
        return Column.plain("Turns", true, 0, row -> started(row) ? Integer.toString(row.turns()) : "");
    }

    /** Wide enough for an estimate to the millionth under ten dollars, so that growing costs do not shift columns. */
    private static Column costColumn() {
        return Column.plain("Cost", true, "~$0.000000".length(), row -> started(row) ? cost(row) : "");
    }

    private static String stateWord(BatchRow row) {
        return switch (row.state()) {
            case BRINGING_BACK -> "bringing back";
            case DONE -> row.status() == null ? "done" : oneLine(row.status());
            default -> row.state().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String activity(BatchRow row) {
        String text = showsReason(row) ? row.reason() : row.lastTool();
        return text == null ? "" : oneLine(text);
    }

    /** A failure or a skip is explained by its reason; what Claude last did matters only while nothing went wrong. */
    private static boolean showsReason(BatchRow row) {
        boolean failed = row.state() == State.SKIPPED || row.state() == State.DONE && !SUCCESS.equals(row.status());
        return failed && row.reason() != null;
    }

    /** Time, turns and cost of a run that never started are zeros that only hide the ones that mean something. */
    private static boolean started(BatchRow row) {
        return row.state() != State.QUEUED && row.state() != State.SKIPPED;
    }

    private static String cost(BatchRow row) {
        return (row.costFinal() ? "$" : "~$") + Format.money(row.costUsd());
    }

    /** Whole seconds: tenths would make a live column flicker, and a batch is measured in seconds anyway. */
    private static String seconds(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        return seconds == 0 ? "0s" : Format.duration(Duration.ofSeconds(seconds));
    }

    /** A newline or an escape sequence in a label or a reason would break the line count a redraw relies on. */
    private static String oneLine(String text) {
        return text.replaceAll("\\p{Cntrl}", " ");
    }

    private static String truncate(String text, int width) {
        if (length(text) <= width) {
            return text;
        }
        if (width <= 0) {
            return "";
        }
        return text.substring(0, text.offsetByCodePoints(0, width - 1)) + ELLIPSIS;
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private static List<String> render(Map<Column, Integer> widths, List<BatchRow> rows, Ui ui) {
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(line(widths, Column::header, (column, text) -> ui.bold(text)));
        for (BatchRow row : rows) {
            lines.add(line(widths, column -> column.text().apply(row), (column, text) -> column.paint().apply(row, text)));
        }
        return lines;
    }

    /** Cut and pad the plain text first, colour it after: escape sequences take no room on the screen. */
    private static String line(Map<Column, Integer> widths, Function<Column, String> text,
                               BiFunction<Column, String, String> paint) {
        StringJoiner line = new StringJoiner(GAP);
        widths.forEach((column, width) -> {
            String cell = truncate(text.apply(column), width);
            String pad = " ".repeat(width - length(cell));
            String painted = cell.isEmpty() ? "" : paint.apply(column, cell);
            line.add(column.right() ? pad + painted : painted + pad);
        });
        return line.toString().stripTrailing();
    }

    private record Column(String header, boolean right, int min, Function<BatchRow, String> text,
                          BiFunction<BatchRow, String, String> paint) {
        static Column plain(String header, boolean right, int min, Function<BatchRow, String> text) {
            return new Column(header, right, min, text, (row, cell) -> cell);
        }

        /** A live frame's width: never below {@code min}, so that it holds still while the values change. */
        int steady(List<BatchRow> rows) {
            return Math.max(min, natural(rows));
        }

        int natural(List<BatchRow> rows) {
            int width = length(header);
            for (BatchRow row : rows) {
                width = Math.max(width, length(text.apply(row)));
            }
            return width;
        }
    }

    /**
     * The frame redrawn in place on a terminal: the cursor goes back up over the last frame and each line is
     * rewritten, so the table stays where it is instead of scrolling. The terminal's last column is left empty,
     * because a character there leaves the cursor pending a wrap, where clearing to the end of the line would erase
     * it and some terminals wrap at once, which would throw the line count off.
     */
    public static final class Live {
        private static final String CLEAR_LINE = "\u001b[K";
        private static final String CLEAR_BELOW = "\u001b[J";
        private final PrintWriter err;
        private final Ui ui;
        private final int width;
        private int shown;

        public Live(PrintWriter err, Ui ui, int width) {
            this.err = err;
            this.ui = ui;
            this.width = width;
        }

        /** Replaces the last frame; lines it had beyond the new one are erased. */
        public synchronized void draw(List<BatchRow> rows) {
            List<String> lines = frame(rows, width - 1, ui);
            StringBuilder text = new StringBuilder(up());
            for (String line : lines) {
                text.append(line).append(CLEAR_LINE).append('\n');
            }
            if (lines.size() < shown) {
                text.append(CLEAR_BELOW);
            }
            shown = lines.size();
            write(text.toString());
        }

        /** Erases the last frame and leaves the cursor where it began, so that ordinary output can follow. */
        public synchronized void clear() {
            write(shown == 0 ? "" : up() + CLEAR_BELOW);
            shown = 0;
        }

        /** Nothing when no frame is shown: ESC[0A would move up one line on most terminals. */
        private String up() {
            return shown == 0 ? "" : "\u001b[" + shown + "A\r";
        }

        private void write(String text) {
            synchronized (err) {
                err.print(text);
                err.flush();
            }
        }
    }
}
