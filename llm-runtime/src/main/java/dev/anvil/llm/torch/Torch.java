package dev.anvil.llm.torch;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;

/**
 * The one place that sets libtorch up: native libraries, thread pools, default dtype/device.
 *
 * <p>Thread pools: libtorch runs element-wise ops on an OpenMP pool and matrix products on OpenBLAS's own pool.
 * When OpenMP threads spin-wait (its default) while OpenBLAS works, the two starve each other on small machines
 * and everything runs 10-20x slower (notes/javacpp-pytorch.md). So unless the process was started with
 * {@code OMP_WAIT_POLICY=PASSIVE} (which must be in the environment before the JVM starts), OpenMP gets a single
 * thread and OpenBLAS gets all of them: matrix products dominate a decoder, so they keep the parallelism.
 * With PASSIVE both pools use every thread.
 *
 * <p>Configuration: system properties {@code anvil.torch.threads} (default: available processors),
 * {@code anvil.torch.device} (cpu, cuda, cuda:N; default cpu), or {@link #configure(Settings)} before first use.
 */
public final class Torch {

    /** What this process runs with. */
    public record Settings(int threads, ComputeDevice device) {
        public Settings {
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }

        public static Settings fromSystemProperties() {
            int threads = Integer.getInteger("anvil.torch.threads", Runtime.getRuntime().availableProcessors());
            return new Settings(threads, ComputeDevice.parse(System.getProperty("anvil.torch.device", "cpu")));
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
        ThreadLayout layout = passive
                ? new ThreadLayout(s.threads(), s.threads(), true)
                : new ThreadLayout(1, s.threads(), false);
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
