package dev.cct.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.catalog.Component;
import dev.cct.catalog.Renderer;
import dev.cct.core.CctException;
import dev.cct.core.ExitCode;
import dev.cct.core.Json;
import dev.cct.core.OutputFormat;
import dev.cct.install.Installer;
import dev.cct.ui.Ui;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Without --sandbox: install the components into a project, then start the local claude if a prompt was given. */
final class LocalInstall {
    private LocalInstall() {
    }

    static int run(CctCommand command, Ui ui, OutputFormat format, Inputs.Prompt prompt, List<Component> components,
                   java.util.Map<String, String> environment) {
        Path directory = command.directory == null ? command.context.environment.workingDirectory()
                : Inputs.writableDirectory("--directory", command.directory, command.context.environment);
        Path claude = prompt == null ? null : findClaude(command);
        Renderer.Rendered rendered = Renderer.render(components);
        List<Installer.InstalledFile> files = command.dryRun
                ? Installer.plan(rendered, directory, command.yes)
                : Installer.install(rendered, directory, command.yes);
        report(ui, format, directory, files, command.dryRun);
        if (prompt == null || command.dryRun) {
            return ExitCode.OK;
        }
        return startClaude(command, ui, claude, directory, prompt.text(), environment);
    }

    private static void report(Ui ui, OutputFormat format, Path directory, List<Installer.InstalledFile> files, boolean dryRun) {
        if (format != OutputFormat.TEXT) {
            ObjectNode result = Json.mapper().createObjectNode();
            result.put("directory", directory.toString());
            result.put("dryRun", dryRun);
            ArrayNode list = result.putArray("files");
            for (Installer.InstalledFile f : files) {
                list.addObject().put("path", f.path()).put("change", f.change().name().toLowerCase(java.util.Locale.ROOT))
                        .put("component", f.owner());
            }
            ui.out().println(Json.compact(result));
            ui.out().flush();
            return;
        }
        if (files.isEmpty()) {
            ui.info("No components to install.");
            return;
        }
        long changed = files.stream().filter(f -> f.change() != Installer.Change.UNCHANGED).count();
        ui.info((dryRun ? "Would install into " : "Installed into ") + directory + ":");
        for (Installer.InstalledFile f : files) {
            String mark = switch (f.change()) {
                case CREATED -> ui.green("+ created  ");
                case UPDATED -> ui.yellow("~ updated  ");
                case UNCHANGED -> ui.dim("= unchanged");
            };
            ui.out().println("  " + mark + " " + f.path());
        }
        ui.info(changed + " of " + files.size() + " file(s) " + (dryRun ? "would change" : "written") + ".");
        ui.out().flush();
    }

    /** Checked before anything is installed, so a missing claude leaves the project untouched. */
    private static Path findClaude(CctCommand command) {
        String path = command.context.environment.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, "claude");
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        throw CctException.badInput("'claude' is not on PATH, so the prompt cannot run locally",
                "install Claude Code (npm install -g @anthropic-ai/claude-code) or add --sandbox docker");
    }

    private static int startClaude(CctCommand command, Ui ui, Path claude, Path directory, String prompt,
                                   java.util.Map<String, String> environment) {
        List<String> argv = new ArrayList<>(List.of(claude.toString()));
        boolean interactive = command.context.terminal && !command.context.environment.isCi();
        if (!interactive) {
            argv.add("-p");
            if (command.display.verbose || !"text".equals(command.outputFormat)) {
                argv.addAll(List.of("--output-format", command.outputFormat, "--verbose"));
            }
        }
        if (command.model != null) {
            argv.addAll(List.of("--model", command.model));
        }
        if (command.maxTurns != null) {
            argv.addAll(List.of("--max-turns", command.maxTurns.toString()));
        }
        if (interactive) {
            // An interactive session takes its first message as an argument; it is the user's own terminal.
            argv.add(prompt);
        }
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
        builder.environment().putAll(command.context.loadSecrets().forClaude());
        builder.environment().putAll(environment);
        ui.info("Starting claude in " + directory);
        try {
            if (interactive) {
                return builder.inheritIO().start().waitFor();
            }
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(prompt.getBytes(StandardCharsets.UTF_8));
            }
            return process.waitFor() == 0 ? ExitCode.OK : ExitCode.CLAUDE_ERROR;
        } catch (IOException e) {
            throw CctException.provider("cannot start claude: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        }
    }
}
