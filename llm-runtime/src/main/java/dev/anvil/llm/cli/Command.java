package dev.anvil.llm.cli;

import java.io.PrintStream;
import java.util.List;

/** One sub-command of {@link AnvilLlm}. */
interface Command {
    String name();

    /** The option synopsis, e.g. {@code --model DIR --out DIR}. */
    String usage();

    /** Runs with the arguments after the command name; output goes to {@code out}, notes to {@code err}. */
    void run(List<String> args, CliPaths paths, PrintStream out, PrintStream err) throws Exception;
}
