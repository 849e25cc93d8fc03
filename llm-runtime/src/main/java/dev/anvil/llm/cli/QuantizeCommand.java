package dev.anvil.llm.cli;

import dev.anvil.llm.quant.ModelQuantizer;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** Writes an NF4 (QLoRA) checkpoint of a model and prints its bits per parameter. */
final class QuantizeCommand implements Command {
    @Override
    public String name() {
        return "quantize";
    }

    @Override
    public String usage() {
        return "--model DIR --out DIR";
    }

    @Override
    public void run(List<String> argv, CliPaths paths, PrintStream out, PrintStream err) {
        Args args = new Args(argv, Set.of("model", "out"), Set.of());
        ModelQuantizer.run(new ModelQuantizer.Arguments(paths.modelDir("model", args.required("model"), false),
                paths.newDir("out", args.required("out"))), out);
    }
}
