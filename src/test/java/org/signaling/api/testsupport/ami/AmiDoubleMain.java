package org.signaling.api.testsupport.ami;

import java.util.concurrent.CountDownLatch;

/**
 * The AMI server double as a program, to click-to-dial without an Asterisk: {@code scripts/ami-double [PORT]}.
 * Listens on 127.0.0.1 (default port 5038) for the AMI user {@code signaling-api} with the secret from
 * {@code AMI_DOUBLE_SECRET} (default {@code lab-only}); every originated call rings, answers and bridges.
 */
public final class AmiDoubleMain {

	private AmiDoubleMain() {
	}

	public static void main(String[] args) throws Exception {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 5038;
		String secret = System.getenv().getOrDefault("AMI_DOUBLE_SECRET", "lab-only");
		AmiServerDouble asterisk = AmiServerDouble.start("signaling-api", secret, port);
		asterisk.calls().defaultScript(CallScript.ANSWER_AND_BRIDGE);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			asterisk.close();
			stopped.countDown();
		}));
		System.out.println("AMI double listening on 127.0.0.1:" + asterisk.port()
				+ " (user signaling-api); originated calls answer and bridge. Ctrl-C stops it.");
		stopped.await();
	}

}
