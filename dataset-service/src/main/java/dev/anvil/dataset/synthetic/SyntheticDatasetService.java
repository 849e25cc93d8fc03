package dev.anvil.dataset.synthetic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.anvil.dataset.DatasetServiceConfig;
import dev.anvil.dataset.InvalidInputException;
import dev.anvil.dataset.clean.CleaningSettings;
import dev.anvil.dataset.ingest.InputLimitExceededException;
import dev.anvil.dataset.ingest.UploadFormat;
import dev.anvil.dataset.version.DatasetNames;
import dev.anvil.dataset.version.DatasetVersionService;
import dev.anvil.dataset.version.Upload;
import dev.anvil.dataset.version.VersionCommitter;
import dev.anvil.dataset.version.VersionStore;
import dev.anvil.service.http.JsonErrors;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a version from templates: the expansion is written as JSON lines to a temp file, which then goes through
 * exactly the same cleaning and versioning as an upload.
 */
@ApplicationScoped
public class SyntheticDatasetService {

    private final DatasetVersionService versions;
    private final VersionStore store;
    private final ObjectMapper json;
    private final ObjectReader requests;
    private final long maxRecords;

    public SyntheticDatasetService(DatasetVersionService versions, VersionStore store, ObjectMapper json,
                                   DatasetServiceConfig config) {
        this.versions = versions;
        this.store = store;
        this.json = json;
        // Strict where the framework's reader is lenient: a repeated key or text after the object is the
        // client's mistake, not something to resolve by guessing which part was meant.
        this.requests = json.readerFor(SyntheticRequest.class)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxRecords = config.synthetic().maxRecords();
    }

    /**
     * Reads a request body. The service reads it rather than the framework so that every fault is answered as an
     * {@link InvalidInputException} naming the field and the JSON type it needs.
     */
    public SyntheticRequest read(InputStream body) throws IOException {
        SyntheticRequest request;
        try {
            request = requests.readValue(body);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof InputLimitExceededException tooLarge) {
                throw tooLarge; // the body's size limit, met while Jackson was inside a field (it wraps the error)
            }
            throw new InvalidInputException("request body: " + JsonErrors.describe(e));
        }
        if (request == null) {
            throw new InvalidInputException("request body: expected an object, got null");
        }
        return request;
    }

    public VersionCommitter.Committed create(String dataset, SyntheticRequest request, CleaningSettings settings) {
        DatasetNames.requireValidName(dataset);
        TemplateExpander expander = new TemplateExpander(request, maxRecords, json);
        Path expansionDir = store.newWorkDir();
        Path expansion = expansionDir.resolve("synthetic.jsonl");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(expansion))) {
                expander.writeTo(out);
            }
            try (InputStream in = Files.newInputStream(expansion)) {
                return versions.create(dataset, Upload.of(in, UploadFormat.JSON), settings);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                VersionStore.deleteRecursively(expansionDir);
            } catch (IOException ignored) {
                // the temp-folder sweeper removes it later
            }
        }
    }
}
