package dev.anvil.gateway.live;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/** The response ids this gateway answered (one row insert per answer), so that feedback names its version. */
@ApplicationScoped
public class ServedResponses {
    private static final Logger LOG = Logger.getLogger(ServedResponses.class);

    /**
     * Keeps {@code id} as answered by {@code versionId}. A database failure is logged and the answer goes out all
     * the same: feedback on it is then refused as unknown, which costs less than failing the answer.
     */
    void remember(String id, String versionId, String model, Instant created) {
        ServedResponse row = new ServedResponse();
        row.id = id;
        row.versionId = versionId;
        row.model = model;
        row.createdAt = created;
        try {
            QuarkusTransaction.requiringNew().run(row::persist);
        } catch (RuntimeException e) {
            LOG.warnf(e, "served response %s (version %s) not recorded; feedback on it will be refused", id, versionId);
        }
    }

    Optional<ServedResponse> find(String id) {
        return ServedResponse.findByIdOptional(id);
    }

    long purgeBefore(Instant cutoff) {
        return QuarkusTransaction.requiringNew().call(() -> ServedResponse.delete("createdAt < ?1", cutoff));
    }
}
