package dev.anvil.llm.torch;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchSetupTest {

    @Test
    void threadPoolsNeverSpinAgainstEachOther() {
        Torch.ThreadLayout layout = Torch.threadLayout();
        assertEquals(1, layout.blasThreads(), "OpenBLAS single-threaded by default");
        boolean passive = "PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"));
        assertEquals(passive ? Runtime.getRuntime().availableProcessors() : 1, layout.torchThreads());
        assertEquals(layout.torchThreads(), torch.get_num_threads());
    }

    @Test
    void devicesParseAndCudaFailsClearlyWithoutIt() {
        assertEquals(ComputeDevice.CPU, ComputeDevice.parse("cpu"));
        assertEquals(ComputeDevice.cuda(1), ComputeDevice.parse("cuda:1"));
        assertEquals(ComputeDevice.cuda(0), ComputeDevice.parse("CUDA"));
        assertThrows(IllegalArgumentException.class, () -> ComputeDevice.parse("tpu"));
        assertEquals(DType.BFLOAT16, DType.parse("bfloat16"));
        assertThrows(IllegalArgumentException.class, () -> DType.parse("float64"));
        if (!torch.cuda_is_available()) {
            String msg = assertThrows(IllegalStateException.class, () -> ComputeDevice.cuda(0).toTorch()).getMessage();
            assertTrue(msg.contains("CUDA is not available"), msg);
        }
    }

    @Test
    void requireAvailableAcceptsExactlyTheDevicesThisHostHas() {
        assertEquals(ComputeDevice.CPU, ComputeDevice.CPU.requireAvailable());
        int count = torch.cuda_is_available() ? torch.cuda_device_count() : 0;
        // One past the last GPU never exists (cuda:0 on a host or build without CUDA).
        String msg = assertThrows(IllegalStateException.class,
                () -> ComputeDevice.cuda(count).requireAvailable()).getMessage();
        assertTrue(msg.startsWith("device cuda:" + count + " requested but "), msg);
        assertTrue(msg.contains(count == 0 ? "CUDA is not available" : "has " + count + " CUDA device(s)"), msg);
        for (int i = 0; i < count; i++) {
            assertEquals(ComputeDevice.cuda(i), ComputeDevice.cuda(i).requireAvailable());
        }
    }
}
