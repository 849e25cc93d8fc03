package dev.anvil.trainer.device;

import dev.anvil.llm.torch.ComputeDevice;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The device every job of this instance trains on: {@code anvil.trainer.device} = {@code cpu} (default),
 * {@code cuda} or {@code cuda:N}. A CUDA device is checked when the service starts, so that an image built without
 * the CUDA natives, or a pod without a GPU, fails at once with the reason instead of failing every job it takes.
 */
@ApplicationScoped
public class TrainingDevice {
    private static final Logger LOG = Logger.getLogger(TrainingDevice.class);
    static final String KEY = "anvil.trainer.device";

    private final ComputeDevice device;

    public TrainingDevice(@ConfigProperty(name = KEY, defaultValue = "cpu") String configured) {
        this.device = parse(configured);
    }

    void verify(@Observes StartupEvent ignored) {
        requireAvailable(device);
        LOG.infof("training on %s (%s)", device, KEY);
    }

    public ComputeDevice get() {
        return device;
    }

    static ComputeDevice parse(String configured) {
        try {
            return ComputeDevice.parse(configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + ": " + e.getMessage(), e);
        }
    }

    /** The device itself when usable; otherwise why not, naming the setting to change. */
    static ComputeDevice requireAvailable(ComputeDevice device) {
        try {
            return device.requireAvailable();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(KEY + "=" + device + ": " + e.getMessage() + ". Set " + KEY
                    + "=cpu, or run the GPU image on a node with a GPU", e);
        }
    }
}
