package dev.anvil.dataset.retrain;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The retraining tests' profile: the stand-in gateway (on the real broker every test has), minimum samples 3, and
 * the mode and guards a test class gives.
 */
abstract class RetrainingProfile implements QuarkusTestProfile {

    abstract Map<String, String> policy();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(policy());
        config.put("anvil.dataset.retraining.min-samples", "3");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StandInGateway.class));
    }
}
