package dev.anvil.llm.torch;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors live: the CPU (default) or one CUDA device. Parsed from "cpu", "cuda" or "cuda:N".
 * CUDA needs the GPU build of the bindings (the {@code gpu} Maven profile); asking for it without one fails here,
 * at set-up, rather than at the first tensor operation.
 */
public record ComputeDevice(Kind kind, int index) {

    public enum Kind { CPU, CUDA }

    public static final ComputeDevice CPU = new ComputeDevice(Kind.CPU, -1);

    public static ComputeDevice cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        return new ComputeDevice(Kind.CUDA, index);
    }

    public static ComputeDevice parse(String spec) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.isEmpty() || s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return cuda(0);
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + spec + "': expected cpu, cuda or cuda:N");
            }
        }
        throw new IllegalArgumentException("bad device '" + spec + "': expected cpu, cuda or cuda:N");
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /**
     * This device, after checking that it exists: for CUDA, that this build has the CUDA natives, the host a
     * driver and at least {@code index + 1} GPUs. Meant for start-up, so that a misconfigured service fails at once
     * rather than with its first job.
     */
    public ComputeDevice requireAvailable() {
        if (!isCuda()) return this;
        Torch.init();
        int count = torch.cuda_is_available() ? torch.cuda_device_count() : 0;
        if (count == 0) {
            throw new IllegalStateException("device " + this + " requested but CUDA is not available: these are "
                    + "the CPU natives of libtorch (build with the gpu Maven profile), or the host has no NVIDIA "
                    + "GPU or driver (CUDA 13 needs driver 580 or newer)");
        }
        if (index >= count) {
            throw new IllegalStateException("device " + this + " requested but this host has " + count
                    + " CUDA device(s): cuda:0" + (count > 1 ? " to cuda:" + (count - 1) : ""));
        }
        return this;
    }

    /** A libtorch device handle; fails clearly when CUDA is asked for but this build or host has none. */
    public Device toTorch() {
        if (!isCuda()) return new Device(torch.DeviceType.CPU);
        Torch.init();
        if (!torch.cuda_is_available()) {
            throw new IllegalStateException("device " + this + " requested but CUDA is not available "
                    + "(CPU build of the bindings, or no driver/GPU on this host)");
        }
        return new Device(torch.DeviceType.CUDA, (byte) index);
    }

    @Override
    public String toString() {
        return isCuda() ? "cuda:" + index : "cpu";
    }
}
