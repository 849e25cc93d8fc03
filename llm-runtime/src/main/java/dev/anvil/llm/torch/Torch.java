package dev.anvil.llm.torch;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;

/**
 * The one place that sets libtorch up: native libraries, thread pools, default device.
 *
 * <p>Thread pools: libtorch runs its ops on an OpenMP pool and some matrix products on OpenBLAS's own pool. Both
 * pools busy-wait between tasks; on a small or shared machine they starve each other and everything runs 10-40x
 * slower (notes/javacpp-pytorch.md). Measured on the 2-core CI-like machine (decoder forward, fp32, 2x256 tokens,
 * hidden 768; the machine was shared, so compare rows, not absolute numbers):
 * <pre>
 *   OMP_WAIT_POLICY=PASSIVE   torch 2 / blas 1:  544-712 ms   torch 1 / blas 1: 825 ms
 *                             torch 2 / blas 2: 2413 ms       torch 1 / blas 2: 3097-5096 ms
 *   (unset, spinning OpenMP)  torch 1 / blas 1:  811 ms       torch 2 / blas 1: 1567-1640 ms
 *                             torch 1 / blas 2: 2608-2953 ms  torch 2 / blas 2: 5678 ms
 * </pre>
 * So OpenBLAS always gets one thread, and OpenMP gets all threads only when the process was started with
 * {@code OMP_WAIT_POLICY=PASSIVE} (it must be in the environment before the JVM starts; the build sets it for
 * tests, the service images should too), otherwise one.
 *
 * <p>Configuration: system properties {@code anvil.torch.threads} (default: available processors),
 * {@code anvil.torch.blas-threads} (default 1), {@code anvil.torch.device} (cpu, cuda, cuda:N; default cpu),
 * or {@link #configure(Settings)} before first use.
 */
public final class Torch {

    /** What this process runs with. */
    public record Settings(int threads, int blasThreads, ComputeDevice device) {
        public Settings {
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            if (blasThreads < 1) throw new IllegalArgumentException("blasThreads must be >= 1, got " + blasThreads);
        }

        public static Settings fromSystemProperties() {
            int threads = Integer.getInteger("anvil.torch.threads", Runtime.getRuntime().availableProcessors());
            int blas = Integer.getInteger("anvil.torch.blas-threads", 1);
            return new Settings(threads, blas, ComputeDevice.parse(System.getProperty("anvil.torch.device", "cpu")));
        }
    }

    /** Thread counts actually applied. */
    public record ThreadLayout(int torchThreads, int blasThreads, boolean passiveWait) {}

    private static volatile Settings settings;
    private static volatile ThreadLayout threadLayout;

    private Torch() {}

    /** Loads libtorch and applies {@link Settings#fromSystemProperties()} unless configured already. Idempotent. */
    public static void init() {
        if (settings == null) {
            configure(Settings.fromSystemProperties());
        }
    }

    /** Applies settings; may be called again (e.g. by a benchmark) to change thread counts. */
    public static synchronized void configure(Settings s) {
        Loader.load(torch.class);
        Loader.load(openblas_nolapack.class);
        boolean passive = "PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"));
        ThreadLayout layout = new ThreadLayout(passive ? s.threads() : 1, s.blasThreads(), passive);
        applyThreads(layout);
        settings = s;
    }

    /** Sets both pools explicitly (for measurements); the spin-wait caveat above applies. */
    public static synchronized void applyThreads(ThreadLayout layout) {
        torch.set_num_threads(layout.torchThreads());
        openblas_nolapack.blas_set_num_threads(layout.blasThreads());
        threadLayout = layout;
    }

    public static Settings settings() {
        init();
        return settings;
    }

    public static ThreadLayout threadLayout() {
        init();
        return threadLayout;
    }

    public static ComputeDevice device() {
        return settings().device();
    }
}
