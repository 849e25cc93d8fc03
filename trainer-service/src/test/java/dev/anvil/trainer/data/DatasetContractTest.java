package dev.anvil.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.records.CanonicalRecord;
import dev.anvil.events.records.ContractVersion;
import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.text.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reading half of the dataset contract: the trainer's reader, given the contract version's files from events'
 * test-jar, gives back the contract's records, in order, with their lines. The dataset-service's
 * {@code VersionContractTest} proves that its cleaning pipeline writes exactly those bytes; together they prove that
 * a version the dataset-service writes is read by the trainer with the same records, without one service depending
 * on the other.
 */
class DatasetContractTest {

    @Test
    void theContractVersionReadsAsItsRecords(@TempDir Path dir) throws IOException {
        DatasetVersionFiles version = ContractVersion.writeTo(dir);
        assertEquals(expected(ContractVersion.TRAIN), DatasetReader.train(version));
        assertEquals(expected(ContractVersion.VALIDATION), DatasetReader.validation(version));
    }

    private static List<Conversation> expected(List<CanonicalRecord> records) {
        return IntStream.range(0, records.size())
                .mapToObj(i -> new Conversation(records.get(i).messages().stream()
                        .map(m -> new ChatMessage(m.role(), m.content())).toList(), i + 1L))
                .toList();
    }
}
