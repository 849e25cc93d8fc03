package dev.anvil.dataset.api;

import dev.anvil.dataset.DatasetServiceConfig;
import dev.anvil.dataset.InvalidInputException;
import dev.anvil.dataset.UnknownResourceException;
import dev.anvil.dataset.ingest.UploadFormat;
import dev.anvil.dataset.synthetic.SyntheticDatasetService;
import dev.anvil.dataset.synthetic.SyntheticRequest;
import dev.anvil.dataset.version.CleaningPipelineFactory;
import dev.anvil.dataset.version.DatasetCatalog;
import dev.anvil.dataset.version.DatasetNames;
import dev.anvil.dataset.version.DatasetVersionService;
import dev.anvil.dataset.version.DatasetVersionView;
import dev.anvil.dataset.version.Upload;
import dev.anvil.dataset.version.VersionCommitter;
import dev.anvil.events.datadir.DatasetVersionFiles;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/** The dataset API: uploads and synthetic requests create versions; the rest reads them. */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    private final DatasetVersionService versions;
    private final SyntheticDatasetService synthetic;
    private final DatasetCatalog catalog;
    private final CleaningPipelineFactory pipelines;
    private final long maxBodyBytes;

    public DatasetResource(DatasetVersionService versions, SyntheticDatasetService synthetic,
                           DatasetCatalog catalog, CleaningPipelineFactory pipelines, DatasetServiceConfig config) {
        this.versions = versions;
        this.synthetic = synthetic;
        this.catalog = catalog;
        this.pipelines = pipelines;
        this.maxBodyBytes = config.maxBodyBytes();
    }

    @GET
    public List<DatasetCatalog.DatasetSummary> datasets() {
        return catalog.datasets();
    }

    @GET
    @Path("/{name}/versions")
    public List<DatasetVersionView> versions(@RestPath String name) {
        return catalog.versions(name);
    }

    @GET
    @Path("/{name}/versions/{version}")
    public DatasetVersionView version(@RestPath String name, @RestPath String version) {
        return catalog.version(name, version);
    }

    @GET
    @Path("/{name}/versions/{version}/rejects")
    @Produces(UploadMediaTypes.NDJSON)
    public java.nio.file.Path rejects(@RestPath String name, @RestPath String version) {
        return catalog.file(name, version, DatasetVersionFiles.REJECTS);
    }

    @GET
    @Path("/{name}/versions/{version}/files/{file}")
    @Produces(UploadMediaTypes.NDJSON)
    public java.nio.file.Path file(@RestPath String name, @RestPath String version, @RestPath String file) {
        if (!DatasetCatalog.DOWNLOADABLE.contains(file)) {
            throw new UnknownResourceException("no file '" + file + "'; files are "
                    + DatasetCatalog.DOWNLOADABLE);
        }
        return catalog.file(name, version, file);
    }

    /** The file is the body; its media type is the format. */
    @POST
    @Path("/{name}/versions")
    @Consumes({UploadMediaTypes.NDJSON, UploadMediaTypes.JSONL, MediaType.APPLICATION_JSON, UploadMediaTypes.CSV})
    public Response upload(@RestPath String name, @BeanParam CleaningQuery query,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        DatasetNames.requireValidName(name);
        UploadFormat format = UploadMediaTypes.ofMediaType(contentType).orElseThrow(() ->
                new UnsupportedUploadException("unsupported media type '" + contentType + "'; use "
                        + UploadMediaTypes.SUPPORTED));
        var settings = query.toSettings(pipelines);
        return answer(versions.create(name, Upload.of(bounded(body), format), settings));
    }

    /** The file is the multipart field {@code file}; an optional field {@code validation} fixes the validation set. */
    @POST
    @Path("/{name}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response uploadForm(@RestPath String name, @BeanParam CleaningQuery query,
                               @RestForm("file") FileUpload file, @RestForm("validation") FileUpload validation)
            throws IOException {
        DatasetNames.requireValidName(name);
        if (file == null) {
            throw new InvalidInputException("multipart field 'file' is required");
        }
        var settings = query.toSettings(pipelines);
        try (InputStream data = open(file); InputStream fixed = validation == null ? null : open(validation)) {
            return answer(versions.create(name, new Upload(data, formatOf(file), fixed,
                    validation == null ? null : formatOf(validation)), settings));
        }
    }

    @POST
    @Path("/{name}/versions/synthetic")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response synthetic(@RestPath String name, @BeanParam CleaningQuery query, InputStream body)
            throws IOException {
        DatasetNames.requireValidName(name);
        var settings = query.toSettings(pipelines);
        SyntheticRequest request = synthetic.read(bounded(body));
        return answer(synthetic.create(name, request, settings));
    }

    private InputStream bounded(InputStream body) {
        return new BoundedInputStream(body, maxBodyBytes, "the request body");
    }

    private InputStream open(FileUpload part) throws IOException {
        return new BoundedInputStream(Files.newInputStream(part.uploadedFile()), maxBodyBytes,
                "multipart field '" + part.name() + "'");
    }

    private static UploadFormat formatOf(FileUpload part) {
        return UploadMediaTypes.ofPart(part.contentType(), part.fileName()).orElseThrow(() ->
                new UnsupportedUploadException("multipart field '" + part.name() + "': unsupported media type '"
                        + part.contentType() + "' and file name '" + part.fileName() + "'; use "
                        + UploadMediaTypes.SUPPORTED + " or a .jsonl, .ndjson, .json or .csv file"));
    }

    /** 201 with a Location for a new version; 200 for content that already is a version (nothing created). */
    private static Response answer(VersionCommitter.Committed committed) {
        DatasetVersionView view = committed.version();
        var location = UriBuilder.fromPath("/datasets/{name}/versions/{version}")
                .build(view.dataset(), view.version());
        return committed.created()
                ? Response.created(location).entity(view).build()
                : Response.ok(view).contentLocation(location).build();
    }
}
