// Peer simulator for bench/run-cache.sh: replays a u64 trace (little-endian 64-bit keys, as written by
// `agentkit cache-sim --write`) through Caffeine (Debian's libcaffeine-java, same-thread executor so
// maintenance runs inline and the run is deterministic) and java.util.LinkedHashMap in access order
// (exact LRU). Same replay rule as agentkit's simulator: a lookup per access, a miss inserts the key.
//
//   java -cp /usr/share/java/caffeine.jar:. CacheSim TRACE.u64 caffeine,lhm 100,1000 [RUNS]
// Prints TSV: peer capacity requests hits hit_ratio ns_per_request min_hit_ratio max_hit_ratio
// Caffeine seeds its sketch's hash and its admission tie-break from ThreadLocalRandom, so its hit ratio
// varies run to run (by up to ~3 points on the short LIRS traces): with RUNS > 1 each Caffeine row is the
// median of RUNS fresh caches (hits and time of the median run), with the min and max beside it.
// LinkedHashMap is deterministic and runs once.
// caffeine-drained: RUNS fresh Caffeine caches, each calling cleanUp() after every hit so its lossy read
// buffer never drops a read; one row per run with the sketch's randomSeed (read by reflection) appended, for
// `agentkit cache-sim --caffeine-seeds` to replay w_tinylfu with the same hashing, decision by decision.
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

public final class CacheSim {
    static long[] load(String path) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size % 8 != 0) throw new IOException(path + ": size is not a multiple of 8 (u64 trace expected)");
            LongBuffer lb = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            long[] keys = new long[lb.remaining()];
            lb.get(keys);
            return keys;
        }
    }

    static long caffeine(long[] keys, int capacity) {
        Cache<Long, Long> c = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
        long hits = 0;
        for (long k : keys) {
            Long key = k;
            if (c.getIfPresent(key) != null) hits++;
            else c.put(key, key);
        }
        return hits;
    }

    static Object field(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> k = o.getClass(); k != null; k = k.getSuperclass()) {
            try {
                java.lang.reflect.Field f = k.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(name);
    }

    // {hits, randomSeed of the cache's FrequencySketch}
    static long[] caffeineDrained(long[] keys, int capacity) throws ReflectiveOperationException {
        Cache<Long, Long> c = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
        int seed = (Integer) field(field(field(c, "cache"), "sketch"), "randomSeed");
        long hits = 0;
        for (long k : keys) {
            Long key = k;
            if (c.getIfPresent(key) != null) {
                hits++;
                c.cleanUp();
            } else {
                c.put(key, key);
            }
        }
        return new long[] {hits, seed};
    }

    static long linkedHashMap(long[] keys, int capacity) {
        Map<Long, Long> m = new LinkedHashMap<>(2 * capacity, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) { return size() > capacity; }
        };
        long hits = 0;
        for (long k : keys) {
            Long key = k;
            if (m.get(key) != null) hits++;
            else m.put(key, key);
        }
        return hits;
    }

    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: java CacheSim TRACE.u64 caffeine,caffeine-drained,lhm CAP[,CAP...] [RUNS]");
            System.exit(2);
        }
        long[] keys = load(args[0]);
        int runs = args.length == 4 ? Math.max(1, Integer.parseInt(args[3])) : 1;
        double n = Math.max(1, keys.length);
        for (String peer : args[1].split(",")) {
            for (String cap : args[2].split(",")) {
                int capacity = Integer.parseInt(cap);
                if (peer.equals("caffeine-drained")) {
                    for (int i = 0; i < runs; i++) {
                        long t0 = System.nanoTime();
                        long[] hs = caffeineDrained(keys, capacity);
                        System.out.printf("%s\t%d\t%d\t%d\t%.4f\t%.1f\t%d%n", peer, capacity, keys.length, hs[0], 100.0 * hs[0] / n,
                                          (System.nanoTime() - t0) / n, hs[1]);
                    }
                    continue;
                }
                int r = peer.equals("caffeine") ? runs : 1;
                long[][] results = new long[r][2];  // {hits, nanoseconds}
                for (int i = 0; i < r; i++) {
                    long t0 = System.nanoTime();
                    long hits = switch (peer) {
                        case "caffeine" -> caffeine(keys, capacity);
                        case "lhm" -> linkedHashMap(keys, capacity);
                        default -> throw new IllegalArgumentException("unknown peer " + peer + " (caffeine, caffeine-drained, lhm)");
                    };
                    results[i][0] = hits;
                    results[i][1] = System.nanoTime() - t0;
                }
                java.util.Arrays.sort(results, (a, b) -> Long.compare(a[0], b[0]));
                long[] median = results[r / 2];
                System.out.printf("%s\t%d\t%d\t%d\t%.4f\t%.1f\t%.4f\t%.4f%n", peer, capacity, keys.length, median[0],
                                  100.0 * median[0] / n, median[1] / n, 100.0 * results[0][0] / n, 100.0 * results[r - 1][0] / n);
            }
        }
    }
}
