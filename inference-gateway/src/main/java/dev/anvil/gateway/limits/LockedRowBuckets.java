package dev.anvil.gateway.limits;

import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * Bucket4j's buckets in the table {@code rate_limit_bucket}, one row a bucket, each change made under the row's lock
 * ({@code SELECT ... FOR UPDATE}) in a transaction of its own: concurrent requests and every replica on the database
 * take turns, so a limit is one count however many of them there are. Bucket4j's own PostgreSQL manager inserts a new
 * bucket with {@code ON CONFLICT}, which H2 (the embedded default) does not speak; here a lost race to insert the same
 * new bucket is the duplicate key error both databases raise (SQLState 23505), after which Bucket4j retries and finds
 * the row.
 */
final class LockedRowBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {
    private static final String SELECT = "SELECT state FROM rate_limit_bucket WHERE id = ? FOR UPDATE";
    private static final String INSERT = "INSERT INTO rate_limit_bucket (id, state, updated_at) VALUES (?, NULL, ?)";
    private static final String UPDATE = "UPDATE rate_limit_bucket SET state = ?, updated_at = ? WHERE id = ?";
    private static final String DELETE = "DELETE FROM rate_limit_bucket WHERE id = ?";
    private static final String DUPLICATE_KEY = "23505";

    private final DataSource dataSource;

    LockedRowBuckets(DataSource dataSource) {
        super(ClientSideConfig.getDefault());
        this.dataSource = dataSource;
    }

    @Override
    protected SelectForUpdateBasedTransaction allocateTransaction(String id, Optional<Long> timeoutNanos) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
        return new RowTransaction(connection, id);
    }

    @Override
    public void removeProxy(String id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, id);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return false; // old rows are deleted by their updated_at instead (BucketCleanup)
    }

    private record RowTransaction(Connection connection, String id) implements SelectForUpdateBasedTransaction {
        @Override
        public void begin(Optional<Long> timeoutNanos) {
            run(() -> connection.setAutoCommit(false));
        }

        @Override
        public LockAndGetResult tryLockAndGet(Optional<Long> timeoutNanos) {
            try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? LockAndGetResult.locked(row.getBytes(1)) : LockAndGetResult.notLocked();
                }
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public boolean tryInsertEmptyData(Optional<Long> timeoutNanos) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, id);
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                return insert.executeUpdate() > 0;
            } catch (SQLException e) {
                if (DUPLICATE_KEY.equals(e.getSQLState())) return false; // another request made it first
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public void update(byte[] data, RemoteBucketState newState, Optional<Long> timeoutNanos) {
            try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                update.setBytes(1, data);
                update.setTimestamp(2, Timestamp.from(Instant.now()));
                update.setString(3, id);
                update.executeUpdate();
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public void commit(Optional<Long> timeoutNanos) {
            run(connection::commit);
        }

        @Override
        public void rollback() {
            run(connection::rollback);
        }

        @Override
        public void release() {
            run(connection::close);
        }

        private static void run(SqlAction action) {
            try {
                action.run();
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }
}
