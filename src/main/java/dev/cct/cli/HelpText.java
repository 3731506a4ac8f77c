package dev.cct.cli;

import dev.cct.core.Environment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders {@code cct --help} at build time into a resource, so that the commonest first command prints it
 * without building the command model. A test keeps the snapshot equal to the live rendering.
 */
public final class HelpText {
    public static final String RESOURCE = "/dev/cct/help.txt";

    private HelpText() {
    }

    public static String render() {
        StringWriter out = new StringWriter();
        Environment empty = new Environment(Map.of(), Path.of("/"), new ByteArrayInputStream(new byte[0]));
        CctCommand.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), empty, false, "--help");
        return out.toString();
    }

    /** Build step: writes the snapshot to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        Files.createDirectories(target.getParent());
        Files.writeString(target, render(), StandardCharsets.UTF_8);
    }
}
