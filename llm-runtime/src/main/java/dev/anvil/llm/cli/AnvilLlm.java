package dev.anvil.llm.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code anvil-llm} command line: {@code generate}, {@code score}, {@code merge}, {@code random-model},
 * {@code quantize}.
 * Exit codes: 0 success, 1 failure while running, 2 bad command line (the message and the usage go to stderr).
 * Launch it with {@code scripts/anvil-llm}, which sets the thread environment libtorch needs.
 */
public final class AnvilLlm {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        register(new GenerateCommand());
        register(new ScoreCommand());
        register(new MergeCommand());
        register(new RandomModelCommand());
        register(new QuantizeCommand());
    }

    private AnvilLlm() {
    }

    private static void register(Command command) {
        COMMANDS.put(command.name(), command);
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        if (code != 0) System.exit(code);
    }

    /** Runs one command line; what a shell would see on stdout and stderr goes to {@code out} and {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            err.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("anvil-llm: unknown command '" + args[0] + "'");
            err.print(usage());
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            command.run(rest, CliPaths.fromEnvironment(), out, err);
            return 0;
        } catch (UsageException e) {
            err.println("anvil-llm " + command.name() + ": " + e.getMessage());
            err.println("usage: anvil-llm " + command.name() + " " + command.usage());
            return 2;
        } catch (Exception e) {
            err.println("anvil-llm " + command.name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        StringBuilder s = new StringBuilder("usage: anvil-llm COMMAND [OPTIONS]\n");
        COMMANDS.values().forEach(c -> s.append("  ").append(c.name()).append(' ').append(c.usage()).append('\n'));
        return s.toString();
    }
}
