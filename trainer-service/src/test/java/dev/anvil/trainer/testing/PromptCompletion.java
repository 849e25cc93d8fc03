package dev.anvil.trainer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.records.CanonicalRecord;
import dev.anvil.events.records.CanonicalRecordWriter;

/** One prompt -> completion example, and the writer of a dataset version made of them. */
public record PromptCompletion(String prompt, String completion) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Writes {@code <dataDir>/datasets/<name>/<version>/{train,validation}.jsonl + manifest.json} through the shared
     * layout and canonical record writer the dataset-service stores with (one user and one assistant message a
     * line); returns the version folder.
     */
    public static Path writeVersion(Path dataDir, String name, String version, List<PromptCompletion> train,
                                    List<PromptCompletion> validation) {
        DatasetVersionFiles files = new DataDirectory(dataDir).datasetVersion(name, version);
        try {
            Files.createDirectories(files.dir());
            write(files.train(), train);
            write(files.validation(), validation);
            ObjectNode manifest = JSON.createObjectNode().put("name", name).put("version", version)
                    .put("train", train.size()).put("validation", validation.size());
            Files.writeString(files.manifest(), manifest + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files.dir();
    }

    private static void write(Path file, List<PromptCompletion> examples) throws IOException {
        try (CanonicalRecordWriter out = CanonicalRecordWriter.create(file)) {
            for (PromptCompletion example : examples) out.write(example.record());
            out.commit();
        }
    }

    /** {@code {"messages":[{"role":"user",..},{"role":"assistant",..}],"format":"prompt_completion"}} */
    private CanonicalRecord record() {
        return new CanonicalRecord(List.of(new CanonicalRecord.Message(CanonicalRecord.USER, prompt),
                new CanonicalRecord.Message(CanonicalRecord.ASSISTANT, completion)), "prompt_completion");
    }
}
