package org.signaling.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The client's version, written into {@code signaling-api-client.properties} by the build, so that it is the one
 * version of the service, the published contract and both clients. Sent as {@code User-Agent}.
 */
final class ClientVersion {

	static final String RESOURCE = "signaling-api-client.properties";

	static final String VERSION = read();

	static final String USER_AGENT = "signaling-api-client/" + VERSION;

	private ClientVersion() {
	}

	private static String read() {
		Properties properties = new Properties();
		try (InputStream in = ClientVersion.class.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException(RESOURCE + " is missing: the client was not built by Maven");
			}
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String version = properties.getProperty("version", "");
		// An unfiltered "@project.version@" is a broken build, not something to send to the service.
		if (!version.matches("\\d+\\.\\d+\\.\\d+[\\w.+-]*")) {
			throw new IllegalStateException(RESOURCE + " holds no version (" + version + "): resource filtering is off");
		}
		return version;
	}

}
