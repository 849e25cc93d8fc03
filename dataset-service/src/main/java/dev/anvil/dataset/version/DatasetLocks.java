package dev.anvil.dataset.version;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the commits of one dataset inside this process, so each new version sees the previous one as its
 * parent. Across replicas the database's unique {@code (dataset, seq)} does the same job.
 */
@ApplicationScoped
public class DatasetLocks {

    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public <T> T withLock(String dataset, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(dataset, name -> new ReentrantLock(true));
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
