package dev.cct.cli;

import picocli.CommandLine.Option;

/** How much cct says and whether it colours it; shared by every command. */
public final class DisplayOptions {
    @Option(names = {"-q", "--quiet"}, description = "Print only results and errors.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print details of each step.")
    boolean verbose;

    @Option(names = "--no-color", description = "Never colour the output (also: NO_COLOR=1).")
    boolean noColor;
}
