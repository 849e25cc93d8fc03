package dev.anvil.trainer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One prompt -> completion example, and the writer of a dataset version made of them. */
public record PromptCompletion(String prompt, String completion) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Writes {@code <dataDir>/datasets/<name>/<version>/{train,validation}.jsonl + manifest.json} in the canonical
     * form dataset-service stores (one user and one assistant message a line); returns the version folder.
     */
    public static Path writeVersion(Path dataDir, String name, String version, List<PromptCompletion> train,
                                    List<PromptCompletion> validation) {
        Path folder = dataDir.resolve("datasets").resolve(name).resolve(version);
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve("train.jsonl"), lines(train));
            Files.write(folder.resolve("validation.jsonl"), lines(validation));
            ObjectNode manifest = JSON.createObjectNode().put("name", name).put("version", version)
                    .put("train", train.size()).put("validation", validation.size());
            Files.writeString(folder.resolve("manifest.json"), manifest + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    private static List<String> lines(List<PromptCompletion> examples) {
        return examples.stream().map(PromptCompletion::canonicalJson).toList();
    }

    /** {@code {"messages":[{"role":"user",..},{"role":"assistant",..}],"format":"prompt_completion"}} */
    private String canonicalJson() {
        ObjectNode record = JSON.createObjectNode();
        ArrayNode messages = record.putArray("messages");
        messages.addObject().put("role", "user").put("content", prompt);
        messages.addObject().put("role", "assistant").put("content", completion);
        record.put("format", "prompt_completion");
        return record.toString();
    }
}
