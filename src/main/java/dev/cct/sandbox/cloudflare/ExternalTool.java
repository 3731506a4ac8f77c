package dev.cct.sandbox.cloudflare;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A program found on the user's PATH (node, npm, npx) and run with arguments that never carry a secret: secrets go
 * to its standard input. Its output is collected, and also handed line by line to a watcher as it comes.
 */
final class ExternalTool {
    private final Path executable;
    private final Map<String, String> environment;

    private ExternalTool(Path executable, Map<String, String> environment) {
        this.executable = executable;
        this.environment = environment;
    }

    /** Looks {@code name} up on the PATH of {@code environment} (the one cct was started with). */
    static Optional<ExternalTool> find(String name, Map<String, String> environment) {
        String path = environment.getOrDefault("PATH", "");
        for (String folder : path.split(java.io.File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new ExternalTool(candidate.toAbsolutePath(), environment));
            }
        }
        return Optional.empty();
    }

    /** Colours and cursor moves: tools such as wrangler send them even into a pipe. */
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    /** What a run printed (stdout and stderr merged, in order, without terminal escapes) and how it ended. */
    record Outcome(int exitCode, String output) {
        /** The line that says what went wrong: the first one naming an error, else the last one; for one-line messages. */
        String reason() {
            List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            for (String line : lines) {
                if (line.contains("ERROR") || line.startsWith("npm error") || line.startsWith("Error")) {
                    return line.replaceFirst("^\\W*\\[ERROR\\]\\s*", "");
                }
            }
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        }
    }

    static String plain(String text) {
        return ANSI.matcher(text).replaceAll("");
    }

    /**
     * Runs the tool in {@code folder}.
     *
     * @param stdin bytes for its standard input (then closed), or null for none
     */
    Outcome run(Path folder, List<String> arguments, byte[] stdin, Consumer<String> eachLine)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException e) {
            // The tool did not read its input; its exit code says what happened.
        }
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        try (InputStream out = process.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = out.read()) >= 0; ) {
                collected.write(b);
                if (b == '\n') {
                    eachLine.accept(plain(line.toString(StandardCharsets.UTF_8)));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0) {
                eachLine.accept(plain(line.toString(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            // Output ended early; the exit code still decides.
        }
        try {
            return new Outcome(process.waitFor(), plain(collected.toString(StandardCharsets.UTF_8)));
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            throw e;
        }
    }

    Path executable() {
        return executable;
    }
}
