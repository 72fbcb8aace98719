package org.panacea.sdk.testkit.fake.threadleak;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Broken on purpose: starts a housekeeping thread on activation and never stops it. */
public class ThreadLeakingAlgorithm extends GoodAlgorithm {

    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "leaky-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    public ThreadLeakingAlgorithm() {
        housekeeping.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
    }
}
