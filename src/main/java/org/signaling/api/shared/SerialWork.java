package org.signaling.api.shared;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One piece of work run on a thread of its own, never on the thread that asks for it: the view's refresh, a
 * request, or the AMI event thread never waits for it (nor for the database it writes to). Requests that arrive
 * while a run is pending are one run. Hand-written because it is an executor and one flag: Spring's task executors
 * queue every request, and this must coalesce them.
 */
public final class SerialWork implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SerialWork.class);

	private final ExecutorService thread;

	private final Runnable work;

	private final AtomicBoolean pending = new AtomicBoolean();

	private final String name;

	/** Whether the last run failed: an outage is logged once, and its end once. */
	private boolean failing;

	public SerialWork(String threadName, Runnable work) {
		this.name = threadName;
		this.work = work;
		this.thread = Executors.newSingleThreadExecutor((task) -> {
			Thread worker = new Thread(task, threadName);
			worker.setDaemon(true);
			return worker;
		});
	}

	/** Runs the work soon, once for every burst of requests; a run that fails is run again at the next request. */
	public void request() {
		if (pending.compareAndSet(false, true)) {
			try {
				thread.execute(() -> {
					pending.set(false);
					runOnce();
				});
			}
			catch (RejectedExecutionException ex) {
				// Stopping.
			}
		}
	}

	private void runOnce() {
		try {
			work.run();
		}
		catch (RuntimeException ex) {
			if (!failing) {
				failing = true;
				log.warn("{} failed; it runs again at the next change: {}", name, Failures.describe(ex));
			}
			return;
		}
		if (failing) {
			failing = false;
			log.info("{} works again", name);
		}
	}

	@Override
	public void close() {
		thread.shutdownNow();
	}

}
