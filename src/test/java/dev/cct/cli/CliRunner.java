package dev.cct.cli;

import dev.cct.Main;
import dev.cct.core.Environment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Runs cct in-process in a made-up world: a working folder, chosen variables, optional stdin. */
public final class CliRunner {
    public record Result(int code, String out, String err) {
    }

    private final Path workingDirectory;
    private final Map<String, String> variables = new HashMap<>();
    private byte[] stdin = new byte[0];

    public CliRunner(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        variables.put("HOME", workingDirectory.resolve("home").toString());
        variables.put("CCT_CACHE_DIR", workingDirectory.resolve("cache").toString());
        // Unreachable on purpose: tests never touch the network unless they serve a catalog themselves.
        variables.put("CCT_CATALOG_URL", "http://127.0.0.1:9/catalog");
        variables.put("PATH", "/usr/bin:/bin");
    }

    public CliRunner env(String name, String value) {
        if (value == null) {
            variables.remove(name);
        } else {
            variables.put(name, value);
        }
        return this;
    }

    public CliRunner stdin(String text) {
        stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment environment = new Environment(Map.copyOf(variables), workingDirectory, new ByteArrayInputStream(stdin));
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), environment, false, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Every file under the working folder (relative paths), to prove that nothing was created. */
    public static java.util.List<String> filesUnder(Path root) {
        if (!Files.exists(root)) {
            return java.util.List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
